// The SMS command parser against what officers and farmers really type (SPEC §6).
#include "sms/command.h"

#include <gtest/gtest.h>

namespace harvest::sms {
namespace {

constexpr double kNoQuantity = -1;

struct Case {
  std::string text;
  CommandKind kind;
  std::string word;
  int64_t receipt = 0;
  std::string number_text;
  double amount = kNoQuantity;
  std::string unit;
  std::string commodity;
  std::string buyer_phone;
  std::string query;
  std::string error;  // a part of the expected error; "" means no error
};

using K = CommandKind;

Case Parsed(std::string text, K kind, std::string word, int64_t receipt = 0,
            std::string number_text = "") {
  Case c;
  c.text = std::move(text);
  c.kind = kind;
  c.word = std::move(word);
  c.receipt = receipt;
  c.number_text = std::move(number_text);
  return c;
}

Case Loaded(Case c, double amount, std::string unit, std::string commodity,
            std::string buyer_phone = "") {
  c.amount = amount;
  c.unit = std::move(unit);
  c.commodity = std::move(commodity);
  c.buyer_phone = std::move(buyer_phone);
  return c;
}

Case Priced(std::string text, std::string word, std::string query) {
  Case c = Parsed(std::move(text), K::kPrice, std::move(word));
  c.query = std::move(query);
  return c;
}

Case Failed(std::string text, K kind, std::string word, std::string error) {
  Case c = Parsed(std::move(text), kind, std::move(word));
  c.error = std::move(error);
  return c;
}

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      // Receipt checks, as officers text them.
      Parsed("r 12345", K::kReceipt, "R", 12345, "12345"),
      Parsed("R  #45-12", K::kReceipt, "R", 4512, "4512"),
      Loaded(Parsed("check 4512 500kg yam", K::kReceipt, "CHECK", 4512, "4512"), 500, "kg", "yam"),
      Loaded(Parsed("R 4512 500 KG Yellow Yam", K::kReceipt, "R", 4512, "4512"), 500, "kg",
             "yellow yam"),
      Parsed("RECEIPT 4512", K::kReceipt, "RECEIPT", 4512, "4512"),
      Loaded(Parsed("R\t4512\n500kg\tyam\n", K::kReceipt, "R", 4512, "4512"), 500, "kg", "yam"),
      Loaded(Parsed("R 4512 12dozen eggs", K::kReceipt, "R", 4512, "4512"), 12, "dozen", "eggs"),
      Loaded(Parsed("R 4512 1,000 lb yam", K::kReceipt, "R", 4512, "4512"), 1000, "lb", "yam"),
      Loaded(Parsed("R 4512 2,5 kg ackee", K::kReceipt, "R", 4512, "4512"), 2.5, "kg", "ackee"),
      Loaded(Parsed("R 4512 yam 500kg", K::kReceipt, "R", 4512, "4512"), 500, "kg", "yam"),
      Parsed("R4512", K::kReceipt, "R", 4512, "4512"),
      Parsed("R 4512.", K::kReceipt, "R", 4512, "4512"),
      Parsed("R: 4512", K::kReceipt, "R", 4512, "4512"),
      Parsed("R,4512", K::kReceipt, "R", 4512, "4512"),
      Parsed("R no. 4512", K::kReceipt, "R", 4512, "4512"),
      Loaded(Parsed("R 4512 500 yam", K::kReceipt, "R", 4512, "4512"), 500, "", "yam"),
      Loaded(Parsed("CHECK #4512 12 pcs pineapple", K::kReceipt, "CHECK", 4512, "4512"), 12, "unit",
             "pineapple"),
      Loaded(Parsed("check 4512 20 KGS Irish Potatoes.", K::kReceipt, "CHECK", 4512, "4512"), 20,
             "kg", "irish potatoes"),
      Loaded(Parsed("r 12345 \xC2\xA0 500kg\xC2\xA0yam", K::kReceipt, "R", 12345, "12345"), 500,
             "kg", "yam"),
      Loaded(Parsed("R 4512 3 bunches banana", K::kReceipt, "R", 4512, "4512"), 3, "bunch",
             "banana"),
      Loaded(Parsed("R 4512 .5 tonne cabbage", K::kReceipt, "R", 4512, "4512"), 0.5, "tonne",
             "cabbage"),
      Failed("R", K::kReceipt, "R", "needs a receipt number"),
      Failed("R abc", K::kReceipt, "R", "is not a number"),
      Failed("R 0", K::kReceipt, "R", "no receipt number 0"),
      Failed("R 99999999999999999999", K::kReceipt, "R", "too long"),
      Failed("R 4512 500yam", K::kReceipt, "R", "unknown unit"),
      Failed("R 4512 0kg yam", K::kReceipt, "R", "more than 0"),
      // Sales, from farmers' phones.
      Loaded(Parsed("s 4512 12 doz eggs 876-555-0123", K::kSell, "S", 4512, "4512"), 12, "dozen",
             "eggs", "8765550123"),
      Loaded(Parsed("SELL 4512 2.5kg scotch bonnet pepper", K::kSell, "SELL", 4512, "4512"), 2.5,
             "kg", "scotch bonnet pepper"),
      Loaded(Parsed("S 4512 3 bunches banana (876) 555 0123", K::kSell, "S", 4512, "4512"), 3,
             "bunch", "banana", "8765550123"),
      Loaded(Parsed("S 4512 10 lbs thyme +1 876 555 0123", K::kSell, "S", 4512, "4512"), 10, "lb",
             "thyme", "+18765550123"),
      Loaded(Parsed("S 4512 5 bags of sweet potato", K::kSell, "S", 4512, "4512"), 5, "bag",
             "sweet potato"),
      Loaded(Parsed("S 4512 1 head goat 5550123", K::kSell, "S", 4512, "4512"), 1, "unit", "goat",
             "5550123"),
      Failed("S 4512 yam", K::kSell, "S", "needs the quantity"),
      Failed("S 4512 500kg", K::kSell, "S", "needs the crop"),
      Failed("S 4512 500 yam", K::kSell, "S", "give a unit"),
      Failed("S", K::kSell, "S", "S 4512 500kg yam"),
      // Farmer lookups.
      Parsed("f 081117655", K::kFarmer, "F", 0, "081117655"),
      Parsed("Farmer 081-117-655", K::kFarmer, "FARMER", 0, "081117655"),
      Parsed("F 081 117 655", K::kFarmer, "F", 0, "081117655"),
      Parsed("F#081117655", K::kFarmer, "F", 0, "081117655"),
      Parsed("F ID 081117655", K::kFarmer, "F", 0, "081117655"),
      Failed("F", K::kFarmer, "F", "F 081117655"),
      Failed("F abc", K::kFarmer, "F", "is not a number"),
      // Lost and stolen books.
      Parsed("lost 000045", K::kLost, "LOST", 45, "000045"),
      Parsed("Stolen 4512", K::kLost, "STOLEN", 4512, "4512"),
      Parsed("lost book 000045", K::kLost, "LOST", 45, "000045"),
      Failed("LOST", K::kLost, "LOST", "receipt or book number"),
      // Prices, help and everything else.
      Priced("p yam", "P", "yam"),
      Priced("PRICE irish potato st. elizabeth", "PRICE", "irish potato st. elizabeth"),
      Priced("Price   Yam,  St Thomas", "PRICE", "Yam St Thomas"),
      Failed("P", K::kPrice, "P", "P yam [parish]"),
      Parsed("?", K::kHelp, "?"),
      Parsed("help", K::kHelp, "HELP"),
      Parsed("Help me", K::kHelp, "HELP"),
      Parsed("HELP?", K::kHelp, "HELP"),
      Failed("", K::kEmpty, "", "empty message"),
      Failed("   \n\t", K::kEmpty, "", "empty message"),
      Failed("hello", K::kUnknown, "HELLO", "unknown command"),
      Failed("4512", K::kUnknown, "4512", "send: R 4512"),
  };
  return cases;
}

std::string Lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return s;
}

TEST(Command, MessyRealWorldInputs) {
  ASSERT_GE(Cases().size(), 40u);
  for (const Case& c : Cases()) {
    SCOPED_TRACE("input: \"" + c.text + "\"");
    Command cmd = ParseCommand(c.text);
    EXPECT_EQ(cmd.kind, c.kind);
    EXPECT_EQ(cmd.word, c.word);
    if (c.error.empty()) {
      EXPECT_EQ(cmd.error, "");
    } else {
      EXPECT_NE(Lower(cmd.error).find(Lower(c.error)), std::string::npos) << cmd.error;
      continue;  // the other fields only hold what was understood before the problem
    }
    EXPECT_EQ(cmd.receipt, c.receipt);
    EXPECT_EQ(cmd.number_text, c.number_text);
    if (c.kind == K::kFarmer) {
      EXPECT_EQ(cmd.farmer_id, c.number_text);
    }
    if (c.amount == kNoQuantity) {
      EXPECT_FALSE(cmd.quantity.has_value());
    } else if (cmd.quantity) {
      EXPECT_DOUBLE_EQ(cmd.quantity->amount, c.amount);
      EXPECT_EQ(cmd.quantity->unit, c.unit);
    } else {
      ADD_FAILURE() << "no quantity parsed";
    }
    EXPECT_EQ(cmd.commodity, c.commodity);
    EXPECT_EQ(cmd.buyer_phone, c.buyer_phone);
    EXPECT_EQ(cmd.query, c.query);
  }
}

TEST(Command, ErrorsShowTheRightForm) {
  EXPECT_NE(ParseCommand("R abc").error.find("Send: R 4512"), std::string::npos);
  EXPECT_NE(ParseCommand("S 4512 yam").error.find("Send: S 4512 500kg yam"), std::string::npos);
  EXPECT_NE(ParseCommand("stolen").error.find("STOLEN needs"), std::string::npos);
  EXPECT_NE(ParseCommand("hello").error.find("HELP"), std::string::npos);
}

// A pasted essay is refused, and the refusal quotes only its start, so the reply still has
// room for the right form.
TEST(Command, LongGarbageIsEchoedShort) {
  for (char c : {'x', '9'}) {
    std::string essay = "R " + std::string(500, c);
    SCOPED_TRACE(essay.substr(0, 4));
    Command cmd = ParseCommand(essay);
    EXPECT_EQ(cmd.kind, K::kReceipt);
    EXPECT_EQ(cmd.receipt, 0);
    ASSERT_FALSE(cmd.error.empty()) << "the garbage was accepted";
    std::string echoed = std::string(15, c);  // Quoted() keeps 15 characters
    echoed += "...";
    EXPECT_NE(cmd.error.find(echoed), std::string::npos) << cmd.error;
    EXPECT_EQ(cmd.error.find(std::string(16, c)), std::string::npos) << cmd.error;
    EXPECT_NE(cmd.error.find(CommandForm(K::kReceipt)), std::string::npos) << cmd.error;
    EXPECT_LT(cmd.error.size(), 100u);
  }
}

TEST(Command, CommandForms) {
  EXPECT_EQ(CommandForm(K::kReceipt), "R 4512 [500kg yam]");
  EXPECT_EQ(CommandForm(K::kFarmer), "F 081117655");
  EXPECT_EQ(CommandForm(K::kUnknown), "");
}

}  // namespace
}  // namespace harvest::sms
