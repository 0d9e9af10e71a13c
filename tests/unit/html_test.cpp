// The pages' HTML builder escapes everything that is not a literal name, and the request's
// cookies are read one by one.
#include "pages/html.h"

#include <gtest/gtest.h>

#include "http/message.h"
#include "pages/strings.h"

namespace harvest::pages {
namespace {

TEST(Html, TextAndAttributeValuesAreEscaped) {
  Html html;
  std::string hostile = R"(<script>alert("x")</script>&')";
  html.Open("p", {{"title", hostile}}).Text(hostile).Close("p");
  EXPECT_EQ(html.Take(),
            "<p title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;\">"
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>");
}

TEST(Html, VoidElementsAndNesting) {
  Html html;
  html.Open("form", {{"method", "post"}});
  html.Void("input", {{"name", "csrf"}, {"value", "a\"b"}});
  html.Element("button", "Go & see");
  html.Close("form");
  EXPECT_EQ(
      html.Take(),
      R"(<form method="post"><input name="csrf" value="a&quot;b"><button>Go &amp; see</button></form>)");
}

// Strings holds string_views only, so it can be walked as an array of them: an entry a
// catalogue forgot is an empty one.
TEST(Strings, NoEntryIsEmpty) {
  static_assert(sizeof(Strings) % sizeof(std::string_view) == 0);
  const Strings& english = English();
  const auto* entry = reinterpret_cast<const std::string_view*>(&english);
  size_t count = sizeof(Strings) / sizeof(std::string_view);
  for (size_t i = 0; i < count; ++i) {
    EXPECT_FALSE(entry[i].empty()) << "entry " << i << " of the English catalogue is empty";
  }
}

TEST(Strings, EverySignalCodeHasPlainWords) {
  for (std::string_view code :
       {"not_in_any_book", "book_stolen", "book_lost", "book_cancelled",
        "farmer_under_investigation", "farmer_inactive", "farmer_unverified", "card_expired",
        "receipt_rechecked", "sale_mismatch", "volume_implausible"}) {
    EXPECT_FALSE(SignalText(English(), code).empty()) << code;
  }
  EXPECT_TRUE(SignalText(English(), "no_such_code").empty());
}

TEST(Cookies, OneByName) {
  http::Request request;
  request.headers["Cookie"] = "a=1; harvest_session=abc; harvest_session_x=zzz";
  EXPECT_EQ(request.Cookie("harvest_session"), "abc");
  EXPECT_EQ(request.Cookie("a"), "1");
  EXPECT_EQ(request.Cookie("harvest"), std::nullopt);
  http::Request none;
  EXPECT_EQ(none.Cookie("a"), std::nullopt);
}

}  // namespace
}  // namespace harvest::pages
