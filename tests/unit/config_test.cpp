// The config file (SPEC §8, §10): every key Harvest reads lands where it belongs, and an unknown
// key or a value of the wrong type stops the command with an error naming the key and its line.
#include "config/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace harvest::config {
namespace {

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("harvest_config_test_" + std::to_string(getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml");
  }
  void TearDown() override { std::filesystem::remove(path_); }

  Config Load(const std::string& text) {
    std::ofstream(path_) << text;
    return LoadConfig(path_.string());
  }

  // The message LoadConfig stops with, or "" when it loads.
  std::string Refusal(const std::string& text) {
    try {
      Load(text);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  }

  std::string File() const { return path_.string(); }

  std::filesystem::path path_;
};

TEST_F(ConfigFileTest, EveryKeyLandsInItsSetting) {
  Config c = Load(R"(
db = "/var/lib/harvest/harvest.db"
listen = "0.0.0.0:8081"
public_url = "https://harvest.example.gov.jm"
default_area_code = "658"
threads = 3

[twilio]
auth_token = "tok"

[kannel]
secret = "sec"

[privacy]
suppression_threshold = 7

[verify]
recheck_count = 4
recheck_window_hours = 48
recheck_parishes = 3
parish_window_hours = 12
quantity_tolerance = 0.2
volume_factor = 2
season_days = 100

[sms]
officer_checks_per_hour = 30
other_messages_per_hour = 10
)");
  EXPECT_EQ(c.db, "/var/lib/harvest/harvest.db");
  EXPECT_EQ(c.listen, "0.0.0.0:8081");
  EXPECT_EQ(c.public_url, "https://harvest.example.gov.jm");
  EXPECT_EQ(c.default_area_code, "658");
  EXPECT_EQ(c.threads, 3u);
  EXPECT_EQ(c.twilio_auth_token, "tok");
  EXPECT_EQ(c.kannel_secret, "sec");
  EXPECT_EQ(c.suppression_threshold, 7);
  EXPECT_EQ(c.verify.recheck_count, 4);
  EXPECT_EQ(c.verify.recheck_window_hours, 48);
  EXPECT_EQ(c.verify.recheck_parishes, 3);
  EXPECT_EQ(c.verify.parish_window_hours, 12);
  EXPECT_DOUBLE_EQ(c.verify.quantity_tolerance, 0.2);
  EXPECT_DOUBLE_EQ(c.verify.volume_factor, 2.0);  // a whole number is a number
  EXPECT_EQ(c.verify.season_days, 100);
  EXPECT_EQ(c.sms.officer_checks_per_hour, 30);
  EXPECT_EQ(c.sms.other_messages_per_hour, 10);
}

TEST_F(ConfigFileTest, DottedKeysAndEmptyKnownTablesAreFine) {
  Config c = Load("kannel.secret = \"sec\"\n[verify]\n[sms]\n");
  EXPECT_EQ(c.kannel_secret, "sec");
}

TEST_F(ConfigFileTest, MistypedSecretStopsNamingTheKey) {
  std::string error = Refusal("[kannel]\nsecert = \"s3cret\"\n");
  EXPECT_EQ(error, File() + ":2: unknown key kannel.secert (did you mean kannel.secret?)");
}

TEST_F(ConfigFileTest, KeyInTheWrongTableIsUnknown) {
  EXPECT_EQ(Refusal("secret = \"s3cret\"\n"),
            File() + ":1: unknown key secret (did you mean kannel.secret?)");
  EXPECT_EQ(Refusal("[verify]\nofficer_checks_per_hour = 10\n"),
            File() +
                ":2: unknown key verify.officer_checks_per_hour (did you mean "
                "sms.officer_checks_per_hour?)");
}

TEST_F(ConfigFileTest, UnknownTablesAndKeysAreAllNamedInFileOrder) {
  std::string error = Refusal(
      "listen = \"127.0.0.1:9000\"\nlisten_port = 9000\n[kanel]\n"
      "secret = \"x\"\n[nonsense]\n");
  EXPECT_EQ(error, File() + ":2: unknown key listen_port\n" + File() +
                       ":4: unknown key kanel.secret (did you mean kannel.secret?)\n" + File() +
                       ":5: unknown table [nonsense]");
}

TEST_F(ConfigFileTest, WrongTypesStopNamingTheKey) {
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {"threads = \"4\"", ":1: threads must be a whole number, not a string"},
      {"threads = true", ":1: threads must be a whole number, not true/false"},
      {"threads = 2.5", ":1: threads must be a whole number, not a number with a fraction"},
      {"threads = -1", ":1: threads must be from 0 to 4294967295, not -1"},
      {"[sms]\nofficer_checks_per_hour = 3000000000",
       ":2: sms.officer_checks_per_hour must be from 0 to 2147483647, not 3000000000"},
      {"[kannel]\nsecret = 12345",
       ":2: kannel.secret must be a string (in quotes), not a whole "
       "number"},
      {"[verify]\nvolume_factor = \"1.5\"",
       ":2: verify.volume_factor must be a number, not a "
       "string"},
      {"[db]\npath = \"x.db\"", ":1: db must be a string (in quotes), not a table"},
      {"verify = 3", ":1: verify must be a table of settings ([verify]), not a whole number"},
      {"listen = [\"a\", \"b\"]", ":1: listen must be a string (in quotes), not an array"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(Refusal(c.text + "\n"), File() + c.error);
  }
}

TEST_F(ConfigFileTest, SyntaxErrorsNameTheLine) {
  std::string error = Refusal("db = \"a.db\"\nlisten = \n");
  EXPECT_EQ(error.rfind(File() + ":2: ", 0), 0u) << error;
}

}  // namespace
}  // namespace harvest::config
