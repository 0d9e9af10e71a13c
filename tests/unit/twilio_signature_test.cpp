// X-Twilio-Signature computation and comparison (SPEC §6).
#include "sms/twilio_signature.h"

#include <gtest/gtest.h>

namespace harvest::sms {
namespace {

const std::string kUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";

std::vector<std::pair<std::string, std::string>> DocumentedParams() {
  // Deliberately not in sorted order: the signature must sort them.
  return {{"To", "+18005551212"},
          {"Digits", "1234"},
          {"CallSid", "CA1234567890ABCDE"},
          {"From", "+12349013030"},
          {"Caller", "+12349013030"}};
}

// The worked example from Twilio's webhook security documentation. The same value comes from
// printf '%s' "$URL$DATA" | openssl dgst -sha1 -hmac 12345 -binary | base64, with DATA =
// CallSidCA1234567890ABCDECaller+12349013030Digits1234From+12349013030To+18005551212.
TEST(TwilioSignature, DocumentedExample) {
  EXPECT_EQ(TwilioSignature(kUrl, DocumentedParams(), "12345"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

TEST(TwilioSignature, UrlOnlyWhenNoParams) {
  // printf '%s' https://example.com/sms/twilio | openssl dgst -sha1 -hmac secret -binary | base64
  EXPECT_EQ(TwilioSignature("https://example.com/sms/twilio", {}, "secret"),
            "bjxy9gN8JLDuGq9x+HyvEpHsFws=");
}

// The keyed context is reused between calls: a repeated key restarts it, a new key replaces it.
TEST(TwilioSignature, SameAnswersWhenCalledAgainWithAlternatingKeys) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(TwilioSignature(kUrl, DocumentedParams(), "12345"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    EXPECT_EQ(TwilioSignature(kUrl, DocumentedParams(), "12345"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    EXPECT_EQ(TwilioSignature("https://example.com/sms/twilio", {}, "secret"),
              "bjxy9gN8JLDuGq9x+HyvEpHsFws=");
  }
}

TEST(TwilioSignature, RepeatedKeysSortByValue) {
  std::vector<std::pair<std::string, std::string>> a = {{"K", "2"}, {"A", "x"}, {"K", "1"}};
  std::vector<std::pair<std::string, std::string>> b = {{"K", "1"}, {"K", "2"}, {"A", "x"}};
  EXPECT_EQ(TwilioSignature(kUrl, a, "12345"), TwilioSignature(kUrl, b, "12345"));
  EXPECT_EQ(TwilioSignature(kUrl, a, "12345"), TwilioSignature(kUrl + "AxK1K2", {}, "12345"));
}

TEST(TwilioSignature, ChangesWithAnyInput) {
  const std::string base = TwilioSignature(kUrl, DocumentedParams(), "12345");
  auto params = DocumentedParams();
  params[1].second = "1235";
  EXPECT_NE(TwilioSignature(kUrl, params, "12345"), base);
  EXPECT_NE(TwilioSignature(kUrl, DocumentedParams(), "12346"), base);
  EXPECT_NE(TwilioSignature(kUrl + "&baz=3", DocumentedParams(), "12345"), base);
  params = DocumentedParams();
  params.push_back({"NumMedia", "0"});  // a field Twilio added: signed like the rest
  EXPECT_NE(TwilioSignature(kUrl, params, "12345"), base);
}

TEST(TwilioSignature, Matches) {
  const std::string expected = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";
  EXPECT_TRUE(TwilioSignatureMatches(expected, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(TwilioSignatureMatches(expected, "0/KCTR6DLpKmkAf8muzZqo1nDgR="));
  EXPECT_FALSE(TwilioSignatureMatches(expected, "1/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(TwilioSignatureMatches(expected, "0/KCTR6DLpKmkAf8muzZqo1nDgQ"));
  EXPECT_FALSE(TwilioSignatureMatches(expected, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=="));
  EXPECT_FALSE(TwilioSignatureMatches(expected, ""));
  EXPECT_FALSE(TwilioSignatureMatches("", ""));
}

using Forms = std::vector<std::string>;

TEST(TwilioUrlForms, DefaultPortAddedOrRemoved) {
  EXPECT_EQ(TwilioUrlForms("https://host/sms/twilio"),
            (Forms{"https://host/sms/twilio", "https://host:443/sms/twilio"}));
  EXPECT_EQ(TwilioUrlForms("https://host:443/sms/twilio?x=1"),
            (Forms{"https://host:443/sms/twilio?x=1", "https://host/sms/twilio?x=1"}));
  EXPECT_EQ(TwilioUrlForms("http://host/sms/twilio"),
            (Forms{"http://host/sms/twilio", "http://host:80/sms/twilio"}));
  EXPECT_EQ(TwilioUrlForms("http://host:80/a"), (Forms{"http://host:80/a", "http://host/a"}));
  EXPECT_EQ(TwilioUrlForms("HTTPS://host"), (Forms{"HTTPS://host", "HTTPS://host:443"}));
  EXPECT_EQ(TwilioUrlForms("https://[2001:db8::1]/s"),
            (Forms{"https://[2001:db8::1]/s", "https://[2001:db8::1]:443/s"}));
  EXPECT_EQ(TwilioUrlForms("https://[2001:db8::1]:443/s"),
            (Forms{"https://[2001:db8::1]:443/s", "https://[2001:db8::1]/s"}));
}

TEST(TwilioUrlForms, OtherPortsAndSchemesHaveOneForm) {
  // The default port of the other scheme is not a default: :80 on https is a real port.
  EXPECT_EQ(TwilioUrlForms("https://host:80/s"), (Forms{"https://host:80/s"}));
  EXPECT_EQ(TwilioUrlForms("http://host:443/s"), (Forms{"http://host:443/s"}));
  EXPECT_EQ(TwilioUrlForms("https://host:8443/s"), (Forms{"https://host:8443/s"}));
  EXPECT_EQ(TwilioUrlForms("ftp://host/s"), (Forms{"ftp://host/s"}));
  EXPECT_EQ(TwilioUrlForms("not a url"), (Forms{"not a url"}));
}

TEST(TwilioRequestSigned, AcceptsEitherFormAndNothingElse) {
  auto params = DocumentedParams();
  const std::string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  std::string with_port =
      TwilioSignature("https://mycompany.com:443/myapp.php?foo=1&bar=2", params, "12345");
  EXPECT_TRUE(TwilioRequestSigned(url, params, "12345", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_TRUE(TwilioRequestSigned(url, params, "12345", with_port));
  EXPECT_TRUE(TwilioRequestSigned("https://mycompany.com:443/myapp.php?foo=1&bar=2", params,
                                  "12345", "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  std::string other_port =
      TwilioSignature("https://mycompany.com:8443/myapp.php?foo=1&bar=2", params, "12345");
  EXPECT_FALSE(TwilioRequestSigned(url, params, "12345", other_port));
  EXPECT_FALSE(TwilioRequestSigned(url, params, "12346", with_port));
  EXPECT_FALSE(TwilioRequestSigned(url, params, "12345", ""));
}

}  // namespace
}  // namespace harvest::sms
