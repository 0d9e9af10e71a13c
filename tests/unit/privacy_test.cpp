// Opaque farm ids for partners (auth/privacy.h).
#include "auth/privacy.h"

#include <gtest/gtest.h>

namespace harvest::auth {
namespace {

TEST(FarmToken, RoundTripsStableAndUnlinkable) {
  SetFarmTokenKey("00112233445566778899aabbccddeeff");
  std::string one = FarmToken(1);
  EXPECT_EQ(one.size(), 32u);
  EXPECT_EQ(FarmToken(1), one) << "stable";
  EXPECT_EQ(FarmFromToken(one), 1);
  EXPECT_EQ(FarmFromToken(FarmToken(9000000000)), 9000000000);
  // Neighbouring numbers share no visible prefix (AES: every bit of the block changes).
  EXPECT_NE(FarmToken(2).substr(0, 4), one.substr(0, 4));
  std::string forged = one;
  forged[31] = forged[31] == '0' ? '1' : '0';
  EXPECT_FALSE(FarmFromToken(forged));
  EXPECT_FALSE(FarmFromToken("1"));
  EXPECT_FALSE(FarmFromToken(std::string(32, 'g')));
  SetFarmTokenKey("ffeeddccbbaa99887766554433221100");
  EXPECT_NE(FarmToken(1), one) << "another server's secret, other ids";
  EXPECT_FALSE(FarmFromToken(one));
  EXPECT_THROW(SetFarmTokenKey("short"), std::runtime_error);
}

TEST(FarmToken, OnlyPartnersSeeTokens) {
  SetFarmTokenKey("00112233445566778899aabbccddeeff");
  const registry::DatasetDef& crops = *registry::FindDataset("crops");
  const registry::FieldDef& farm = *crops.Field("farm_id");
  EXPECT_EQ(Present(farm, registry::kPartner, int64_t{7}), store::Value{FarmToken(7)});
  EXPECT_EQ(Present(farm, registry::kExtension, int64_t{7}), store::Value{int64_t{7}});
  EXPECT_EQ(Unpresent(farm, registry::kPartner, FarmToken(7)), store::Value{int64_t{7}});
  EXPECT_FALSE(Unpresent(farm, registry::kPartner, "7"));
  const registry::DatasetDef& farms = *registry::FindDataset("farms");
  EXPECT_TRUE(FieldOpaque(*farms.Field("id"), registry::kPartner));
  EXPECT_FALSE(FieldOpaque(*farms.Field("parish"), registry::kPartner));
}

}  // namespace
}  // namespace harvest::auth
