#include "registry/schema.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace harvest::registry {
namespace {

constexpr RoleMask kPoliceView = kPolice | kStaff;
constexpr RoleMask kOpenData = kPartner | kStaff;

FieldDef Text(std::string name, std::string description, RoleMask visible = kEveryone) {
  return FieldDef{
      .name = std::move(name), .description = std::move(description), .visible = visible};
}

FieldDef Typed(std::string name, FieldType type, std::string description,
               RoleMask visible = kEveryone) {
  return FieldDef{.name = std::move(name),
                  .type = type,
                  .description = std::move(description),
                  .visible = visible};
}

FieldDef Choice(std::string name, std::vector<std::string> choices, std::string description,
                RoleMask visible = kEveryone) {
  return FieldDef{.name = std::move(name),
                  .type = FieldType::kEnum,
                  .description = std::move(description),
                  .visible = visible,
                  .choices = std::move(choices)};
}

FieldDef Required(FieldDef field) {
  field.required = true;
  return field;
}

FieldDef ReadOnly(FieldDef field) {
  field.writable = false;
  return field;
}

FieldDef Personal(FieldDef field) {
  field.personal = true;
  return field;
}

FieldDef Defaults(FieldDef field, std::string value) {
  field.fallback = std::move(value);
  return field;
}

FieldDef Refers(FieldDef field, std::string dataset) {
  field.references = std::move(dataset);
  return field;
}

FieldDef GeneratedId(std::string description) {
  return ReadOnly(Typed("id", FieldType::kInteger, std::move(description)));
}

// Free text: up to 2,000 characters, tabs and line breaks allowed.
FieldDef FreeText(std::string name, std::string description, RoleMask visible = kEveryone) {
  FieldDef field = Text(std::move(name), std::move(description), visible);
  field.max_length = 2000;
  field.multiline = true;
  return field;
}

// A measured amount: at most 1,000,000 of its unit.
constexpr double kMaxQuantity = 1000000;
FieldDef Amount(FieldDef field, bool positive = false) {
  field.max_value = kMaxQuantity;
  field.positive = positive;
  return field;
}

// A farm number, shown to partners as an opaque token (auth::Present).
FieldDef FarmNumber(FieldDef field) {
  field.opaque = kPartner;
  return field;
}

std::vector<DatasetDef> BuildDatasets() {
  std::vector<DatasetDef> sets;

  sets.push_back(DatasetDef{
      .name = "farmers",
      .table = "farmers",
      .description = "Registered farmers (RADA's register). Personal data: staff only; police "
                     "see an identity view; TRN and date of birth are for admins alone.",
      .key = "id",
      .fields =
          {
              Required(
                  Typed("id", FieldType::kId, "9-digit farmer registration number", kPoliceView)),
              Required(Personal(Text("first_name", "Given name", kPoliceView))),
              Required(Personal(Text("last_name", "Family name", kPoliceView))),
              Personal(Text("alias", "Name the farmer is known by", kPoliceView)),
              Choice("sex", {"M", "F"}, "Sex as registered", kStaff),
              Personal(Typed("date_of_birth", FieldType::kDate, "Date of birth", kAdmin)),
              Personal(Text("trn", "Taxpayer registration number (9 digits)", kAdmin)),
              Personal(
                  Typed("phone", FieldType::kPhone, "Registered mobile phone (E.164)", kStaff)),
              Required(Typed("parish", FieldType::kParish, "Parish of residence", kPoliceView)),
              Text("district", "District", kStaff),
              Text("extension_area", "RADA extension area", kStaff),
              Text("activity", "Main agricultural activity", kStaff),
              Defaults(Typed("verified", FieldType::kBoolean, "Registration verified by RADA",
                             kPoliceView),
                       "0"),
              Typed("verified_on", FieldType::kDate, "When the registration was verified", kStaff),
              Typed("registered_on", FieldType::kDate, "Date of registration", kStaff),
              Typed("card_expires_on", FieldType::kDate, "Farmer ID card expiry (valid 3 years)",
                    kPoliceView),
              Defaults(Choice("status", {"active", "suspended", "deceased"}, "Registration status",
                              kPoliceView),
                       "active"),
              Defaults(Typed("under_investigation", FieldType::kBoolean,
                             "The farmer is under police investigation", kPoliceView),
                       "0"),
              FreeText("remarks", "Free remarks", kStaff),
          },
      .list_roles = kStaff,
      .item_roles = kPoliceView,
      .write_roles = kStaff,
  });

  sets.push_back(DatasetDef{
      .name = "farms",
      .table = "farms",
      .description = "Farm holdings. Partners see no farmer and coordinates rounded to 0.1 degree.",
      .key = "id",
      .key_generated = true,
      .fields =
          {
              FarmNumber(GeneratedId("Farm number (partners see an opaque id of 32 hex digits)")),
              Required(
                  Refers(Typed("farmer_id", FieldType::kId, "Owner's registration number", kStaff),
                         "farmers")),
              Required(Typed("parish", FieldType::kParish, "Parish")),
              Text("district", "District"),
              Text("extension_area", "RADA extension area"),
              Amount(Typed("size_ha", FieldType::kReal, "Size in hectares")),
              FieldDef{.name = "lat",
                       .type = FieldType::kReal,
                       .description = "Latitude (WGS 84)",
                       .rounded = kPartner},
              FieldDef{.name = "lon",
                       .type = FieldType::kReal,
                       .description = "Longitude (WGS 84)",
                       .rounded = kPartner},
              Choice("tenure", {"owned", "leased", "rented", "family", "crown", "other"},
                     "Land tenure"),
              Defaults(Choice("status", {"active", "inactive"}, "Farm status"), "active"),
          },
      .list_roles = kOpenData,
      .item_roles = kOpenData,
      .write_roles = kStaff,
      .has_place = true,
      .key_token = "token",
  });

  sets.push_back(DatasetDef{
      .name = "crops",
      .table = "crops",
      .description = "Crops planted on farms, with expected harvest.",
      .key = "id",
      .key_generated = true,
      .fields =
          {
              GeneratedId("Crop record number"),
              Required(FarmNumber(
                  Refers(Typed("farm_id", FieldType::kInteger, "Farm the crop is on"), "farms"))),
              Required(Text("crop", "Commodity grown (see /api/v1/commodities)")),
              Text("variety", "Variety"),
              Amount(Typed("area_ha", FieldType::kReal, "Area planted in hectares")),
              Amount(Typed("plant_count", FieldType::kInteger, "Number of plants")),
              Typed("planted_on", FieldType::kDate, "Planting date"),
              Typed("expected_harvest_on", FieldType::kDate, "Expected harvest date"),
              Amount(Typed("expected_volume_kg", FieldType::kReal, "Expected harvest in kg")),
              Defaults(
                  Choice("status", {"planned", "growing", "harvested", "failed"}, "Crop status"),
                  "growing"),
          },
      .list_roles = kOpenData,
      .item_roles = kOpenData,
      .write_roles = kStaff,
  });

  sets.push_back(DatasetDef{
      .name = "livestock",
      .table = "livestock",
      .description = "Livestock kept on farms.",
      .key = "id",
      .key_generated = true,
      .fields =
          {
              GeneratedId("Livestock record number"),
              Required(FarmNumber(Refers(
                  Typed("farm_id", FieldType::kInteger, "Farm the animals are on"), "farms"))),
              Required(Choice("species",
                              {"goats", "cattle", "pigs", "sheep", "poultry", "rabbits", "bees"},
                              "Species")),
              Text("stage", "Stage or purpose (breeding, layers, broilers...)"),
              Amount(Typed("count", FieldType::kInteger, "Number of animals (hives for bees)")),
              Amount(Typed("capacity", FieldType::kInteger, "Housing capacity")),
          },
      .list_roles = kOpenData,
      .item_roles = kOpenData,
      .write_roles = kStaff,
  });

  sets.push_back(DatasetDef{
      .name = "prices",
      .table = "prices",
      .description = "Weekly prices by commodity, parish and market, in Jamaican dollars.",
      .key = "id",
      .key_generated = true,
      .fields =
          {
              GeneratedId("Price record number"),
              Required(Text("commodity", "Commodity (see /api/v1/commodities)")),
              Text("variety", "Variety"),
              Required(Choice("unit", {"kg", "lb", "dozen", "unit", "bunch"}, "Unit priced")),
              Required(Amount(Typed("price", FieldType::kMoney, "Price in JMD per unit"))),
              Required(Choice("price_point", {"farmgate", "wholesale", "retail"},
                              "Where in the chain the price was observed")),
              Required(Typed("parish", FieldType::kParish, "Parish")),
              Text("market", "Market or collection point"),
              Required(Typed("week_of", FieldType::kDate, "Monday of the week")),
          },
      .list_roles = kEveryone,
      .item_roles = kEveryone,
      .write_roles = kStaff,
  });

  sets.push_back(DatasetDef{
      .name = "books",
      .table = "books",
      .description = "Receipt books sold to farmers (100 numbered receipts each).",
      .key = "serial",
      .fields =
          {
              Required(Typed("serial", FieldType::kId, "Book serial number")),
              Required(Typed("first_receipt", FieldType::kInteger, "First receipt number")),
              Required(
                  Typed("last_receipt", FieldType::kInteger, "Last receipt number (inclusive)")),
              Required(Refers(Typed("farmer_id", FieldType::kId, "Farmer the book was sold to"),
                              "farmers")),
              Typed("sold_on", FieldType::kDate, "Date of sale"),
              Text("outlet", "JAS outlet that sold the book"),
              Typed("parish", FieldType::kParish, "Parish of the outlet"),
              Defaults(Choice("status", {"active", "lost", "stolen", "cancelled"}, "Book status"),
                       "active"),
              Typed("status_changed_on", FieldType::kDate, "When the status last changed"),
              FreeText("remarks", "Free remarks"),
          },
      .list_roles = kStaff,
      .item_roles = kStaff,
      .write_roles = kStaff,
  });

  sets.push_back(DatasetDef{
      .name = "sales",
      .table = "sales",
      .description = "Digital receipts: sales recorded on a receipt number of the farmer's book.",
      .key = "receipt",
      .fields =
          {
              Required(Typed("receipt", FieldType::kInteger, "Receipt number")),
              ReadOnly(Typed("farmer_id", FieldType::kId, "Selling farmer (from the book)")),
              Required(Text("commodity", "Commodity sold")),
              Required(Amount(Typed("quantity", FieldType::kReal, "Quantity sold"), true)),
              Required(Choice(
                  "unit",
                  {"kg", "g", "lb", "tonne", "dozen", "unit", "bunch", "bag", "box", "crate"},
                  "Unit of the quantity")),
              Personal(Text("buyer_name", "Buyer's name")),
              Personal(Typed("buyer_phone", FieldType::kPhone, "Buyer's phone")),
              Typed("sold_at", FieldType::kTimestamp, "When the sale was recorded"),
              Defaults(Choice("channel", {"sms", "web", "api"}, "How the sale was recorded"),
                       "api"),
          },
      .list_roles = kStaff,
      .item_roles = kStaff,
      .write_roles = kStaff,
  });

  sets.push_back(DatasetDef{
      .name = "officers",
      .table = "officers",
      .description = "Police officers allowed to check receipts by SMS.",
      .key = "id",
      .key_generated = true,
      .fields =
          {
              GeneratedId("Officer record number"),
              Required(Personal(Typed("phone", FieldType::kPhone, "Officer's phone (E.164)"))),
              Required(Text("badge", "Badge number")),
              Personal(Text("name", "Officer's name")),
              Text("station", "Police station"),
              Typed("parish", FieldType::kParish, "Parish of the station"),
              Defaults(
                  Choice("status", {"active", "blocked"}, "Whether the phone may check receipts"),
                  "active"),
          },
      .list_roles = kAdmin,
      .item_roles = kAdmin,
      .write_roles = kAdmin,
  });

  sets.push_back(DatasetDef{
      .name = "verifications",
      .table = "verifications",
      .description = "Every receipt check made, with its verdict.",
      .key = "id",
      .key_generated = true,
      .fields =
          {
              GeneratedId("Check number"),
              Required(Typed("at", FieldType::kTimestamp, "When the check was made")),
              Typed("receipt", FieldType::kInteger, "Receipt number checked"),
              Choice("channel", {"sms", "web", "api"}, "Channel"),
              Typed("officer_id", FieldType::kInteger, "Officer who checked by SMS"),
              Typed("key_id", FieldType::kInteger, "API key used"),
              Choice("verdict", {"VALID", "CHECK", "ALERT", "UNKNOWN"}, "Verdict given"),
              Text("signals", "Signal codes, comma separated"),
              Typed("parish", FieldType::kParish, "Parish of the check, when known"),
          },
      .list_roles = kAdmin,
      .item_roles = kAdmin,
      .log = true,
  });

  sets.push_back(DatasetDef{
      .name = "audit",
      .table = "audit",
      .description = "Append-only log of every personal-data read and every write.",
      .key = "id",
      .key_generated = true,
      .fields =
          {
              GeneratedId("Entry number"),
              Required(Typed("at", FieldType::kTimestamp, "When")),
              Text("actor", "Who: key:ID, officer:ID, user:LOGIN, phone or cli"),
              Text("role", "Role of the actor"),
              Text("channel", "api, sms, web or cli"),
              Choice("action",
                     {"read", "create", "update", "import", "revoke", "disable", "login",
                      "login_failed", "logout"},
                     "What was done"),
              Text("dataset", "Dataset"),
              Text("record", "Key of the record, or a filter description"),
              Text("detail", "Count of rows or changed fields"),
          },
      .list_roles = kAdmin,
      .item_roles = kAdmin,
      .log = true,
  });

  auto aggregate_flag = Typed("suppressed", FieldType::kBoolean,
                              "True when the cell counts fewer farmers than the publication "
                              "threshold; its figures are then null");
  sets.push_back(DatasetDef{
      .name = "production",
      .table = "production",
      .description = "Expected production by parish and crop, from the registry.",
      .key = "id",
      .fields =
          {
              Typed("id", FieldType::kText, "Cell key PARISH:crop"),
              Typed("parish", FieldType::kParish, "Parish"),
              Text("crop", "Crop"),
              Typed("farms", FieldType::kInteger, "Farms growing the crop"),
              Typed("area_ha", FieldType::kReal, "Area planted in hectares"),
              Typed("expected_volume_kg", FieldType::kReal, "Expected volume in kg"),
              aggregate_flag,
          },
      .list_roles = kEveryone,
      .item_roles = kEveryone,
      .aggregate = true,
  });

  sets.push_back(DatasetDef{
      .name = "farmer-stats",
      .table = "farmer_stats",
      .description = "Registered farmers by parish and main activity.",
      .key = "id",
      .fields =
          {
              Typed("id", FieldType::kText, "Cell key PARISH:activity"),
              Typed("parish", FieldType::kParish, "Parish"),
              Text("activity", "Main agricultural activity"),
              Typed("farmers", FieldType::kInteger, "Registered farmers"),
              Typed("verified", FieldType::kInteger, "Of which verified"),
              aggregate_flag,
          },
      .list_roles = kEveryone,
      .item_roles = kEveryone,
      .aggregate = true,
  });

  sets.push_back(DatasetDef{
      .name = "parishes",
      .table = "parishes",
      .description = "Jamaica's 14 parishes.",
      .key = "code",
      .fields =
          {
              Typed("code", FieldType::kText, "Three-letter code"),
              Text("name", "Name"),
              Typed("lat", FieldType::kReal, "Latitude of a central point"),
              Typed("lon", FieldType::kReal, "Longitude of a central point"),
          },
      .list_roles = kEveryone,
      .item_roles = kEveryone,
      .has_place = true,
  });

  sets.push_back(DatasetDef{
      .name = "commodities",
      .table = "commodities",
      .description = "Commodities with weekly prices and registry crops.",
      .key = "name",
      .fields =
          {
              Text("name", "Commodity name"),
              Text("category", "Category"),
              Text("unit", "Usual unit of weekly prices"),
          },
      .list_roles = kEveryone,
      .item_roles = kEveryone,
  });
  return sets;
}

constexpr std::array<Commodity, 40> kCommodities{{
    {"yellow yam", "root", "kg"},     {"negro yam", "root", "kg"},
    {"sweet yam", "root", "kg"},      {"st. vincent yam", "root", "kg"},
    {"sweet potato", "root", "kg"},   {"irish potato", "root", "kg"},
    {"dasheen", "root", "kg"},        {"coco", "root", "kg"},
    {"cassava", "root", "kg"},        {"ginger", "condiment", "kg"},
    {"banana", "fruit", "kg"},        {"plantain", "fruit", "kg"},
    {"breadfruit", "fruit", "unit"},  {"ackee", "fruit", "dozen"},
    {"pineapple", "fruit", "unit"},   {"papaya", "fruit", "kg"},
    {"orange", "fruit", "dozen"},     {"ortanique", "fruit", "dozen"},
    {"watermelon", "fruit", "kg"},    {"coconut", "fruit", "unit"},
    {"callaloo", "vegetable", "kg"},  {"cabbage", "vegetable", "kg"},
    {"pak choi", "vegetable", "kg"},  {"lettuce", "vegetable", "kg"},
    {"tomato", "vegetable", "kg"},    {"sweet pepper", "vegetable", "kg"},
    {"cucumber", "vegetable", "kg"},  {"carrot", "vegetable", "kg"},
    {"pumpkin", "vegetable", "kg"},   {"escallion", "condiment", "kg"},
    {"thyme", "condiment", "bunch"},  {"scotch bonnet pepper", "condiment", "kg"},
    {"pimento", "export", "kg"},      {"coffee", "export", "kg"},
    {"cocoa", "export", "kg"},        {"sugar cane", "export", "kg"},
    {"goat meat", "livestock", "kg"}, {"beef", "livestock", "kg"},
    {"pork", "livestock", "kg"},      {"chicken", "livestock", "kg"},
}};

// Lower-cases and folds runs of spaces so "Yellow  Yam" finds "yellow yam".
std::string FoldName(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) {
      out.push_back(' ');
      space = false;
    }
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case kPublic:
      return "public";
    case kPartner:
      return "partner";
    case kPolice:
      return "police";
    case kExtension:
      return "extension";
    case kAdmin:
      return "admin";
  }
  return "public";
}

bool ParseRole(std::string_view name, Role& role) {
  for (Role candidate : {kPublic, kPartner, kPolice, kExtension, kAdmin}) {
    if (RoleName(candidate) == name) {
      role = candidate;
      return true;
    }
  }
  return false;
}

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kText:
      return "string";
    case FieldType::kId:
      return "id";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kReal:
      return "number";
    case FieldType::kMoney:
      return "money";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kDate:
      return "date";
    case FieldType::kTimestamp:
      return "timestamp";
    case FieldType::kEnum:
      return "enum";
    case FieldType::kParish:
      return "parish";
    case FieldType::kPhone:
      return "phone";
  }
  return "string";
}

const FieldDef* DatasetDef::Field(std::string_view field_name) const {
  int index = FieldIndex(field_name);
  return index < 0 ? nullptr : &fields[static_cast<size_t>(index)];
}

int DatasetDef::FieldIndex(std::string_view field_name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field_name) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

bool DatasetDef::HasPersonalFields() const {
  return std::any_of(fields.begin(), fields.end(), [](const FieldDef& f) { return f.personal; });
}

std::span<const DatasetDef> Datasets() {
  static const std::vector<DatasetDef> sets = BuildDatasets();
  return sets;
}

const DatasetDef* FindDataset(std::string_view name) {
  for (const DatasetDef& set : Datasets()) {
    if (set.name == name) {
      return &set;
    }
  }
  return nullptr;
}

std::span<const Commodity> Commodities() {
  return kCommodities;
}

const Commodity* FindCommodity(std::string_view name) {
  std::string folded = FoldName(name);
  for (const Commodity& c : kCommodities) {
    if (c.name == folded) {
      return &c;
    }
  }
  return nullptr;
}

}  // namespace harvest::registry
