// Places of the demo country, per parish: real district and town names grouped into RADA
// extension areas, the main market, JAS outlets and police stations. Weights put most farmers
// in the rural parishes and most officers where praedial larceny clusters.
#include <stdexcept>
#include <string>

#include "demo/country.h"
#include "registry/parish.h"

namespace harvest::demo {
namespace {

struct Draft {
  std::string_view code;
  double farmer_weight;
  double officer_weight;
  double spread;
  std::string_view market;
  std::vector<District> districts;
  std::vector<std::string_view> neighbours;
  std::vector<std::string_view> outlet_towns;
  std::vector<std::string_view> police_stations;
};

std::vector<Draft> Drafts() {
  return {
      {"KIN",
       1,
       2,
       0.025,
       "Coronation Market",
       {{"Rollington Town", "Kingston East"},
        {"Franklyn Town", "Kingston East"},
        {"Rae Town", "Kingston East"},
        {"Port Royal", "Kingston East"},
        {"Denham Town", "Kingston West"},
        {"Hannah Town", "Kingston West"},
        {"Allman Town", "Kingston Central"}},
       {"AND"},
       {"Kingston"},
       {"Central Police Station", "Denham Town Police Station", "Elletson Road Police Station"}},
      {"AND",
       5,
       3,
       0.06,
       "Papine Market",
       {{"Mavis Bank", "Mavis Bank"},
        {"Content Gap", "Mavis Bank"},
        {"Guava Ridge", "Mavis Bank"},
        {"Gordon Town", "Gordon Town"},
        {"Irish Town", "Gordon Town"},
        {"Lawrence Tavern", "Lawrence Tavern"},
        {"Golden Spring", "Lawrence Tavern"},
        {"Stony Hill", "Stony Hill"},
        {"Red Hills", "Stony Hill"}},
       {"KIN", "CAT", "MRY", "POR", "THO"},
       {"Half Way Tree", "Mavis Bank"},
       {"Half Way Tree Police Station", "Gordon Town Police Station", "Stony Hill Police Station"}},
      {"THO",
       7,
       8,
       0.07,
       "Morant Bay Market",
       {{"Morant Bay", "Morant Bay"},
        {"Port Morant", "Morant Bay"},
        {"Seaforth", "Seaforth"},
        {"Trinityville", "Seaforth"},
        {"Cedar Valley", "Seaforth"},
        {"Yallahs", "Yallahs"},
        {"Llandewey", "Yallahs"},
        {"Hillside", "Yallahs"},
        {"Golden Grove", "Golden Grove"},
        {"Bath", "Golden Grove"}},
       {"AND", "POR"},
       {"Morant Bay", "Yallahs"},
       {"Morant Bay Police Station", "Yallahs Police Station", "Golden Grove Police Station",
        "Seaforth Police Station"}},
      {"POR",
       5,
       4,
       0.08,
       "Port Antonio Market",
       {{"Port Antonio", "Port Antonio"},
        {"Fellowship", "Port Antonio"},
        {"Moore Town", "Moore Town"},
        {"Mill Bank", "Moore Town"},
        {"Buff Bay", "Buff Bay"},
        {"Charles Town", "Buff Bay"},
        {"Hope Bay", "Hope Bay"},
        {"Manchioneal", "Manchioneal"},
        {"Long Bay", "Manchioneal"}},
       {"THO", "AND", "MRY"},
       {"Port Antonio", "Buff Bay"},
       {"Port Antonio Police Station", "Buff Bay Police Station", "Hope Bay Police Station"}},
      {"MRY",
       8,
       7,
       0.08,
       "Port Maria Market",
       {{"Highgate", "Highgate"},
        {"Retreat", "Highgate"},
        {"Richmond", "Richmond"},
        {"Guys Hill", "Richmond"},
        {"Port Maria", "Port Maria"},
        {"Islington", "Port Maria"},
        {"Oracabessa", "Port Maria"},
        {"Annotto Bay", "Annotto Bay"},
        {"Broadgate", "Annotto Bay"},
        {"Gayle", "Gayle"}},
       {"POR", "AND", "CAT", "ANN"},
       {"Highgate", "Port Maria"},
       {"Port Maria Police Station", "Highgate Police Station", "Annotto Bay Police Station",
        "Richmond Police Station"}},
      {"ANN",
       8,
       5,
       0.08,
       "Brown's Town Market",
       {{"Claremont", "Claremont"},
        {"Moneague", "Claremont"},
        {"Aboukir", "Claremont"},
        {"Brown's Town", "Brown's Town"},
        {"Watt Town", "Brown's Town"},
        {"Bamboo", "Brown's Town"},
        {"Alexandria", "Alexandria"},
        {"Cave Valley", "Alexandria"},
        {"Calderwood", "Alexandria"},
        {"Ocho Rios", "Ocho Rios"}},
       {"MRY", "CAT", "CLA", "MAN", "TRL"},
       {"Claremont", "Brown's Town"},
       {"Brown's Town Police Station", "Claremont Police Station", "Alexandria Police Station"}},
      {"TRL",
       6,
       4,
       0.08,
       "Falmouth Market",
       {{"Falmouth", "Falmouth"},
        {"Duncans", "Falmouth"},
        {"Clark's Town", "Clark's Town"},
        {"Warsop", "Clark's Town"},
        {"Jackson Town", "Clark's Town"},
        {"Sherwood Content", "Clark's Town"},
        {"Albert Town", "Albert Town"},
        {"Ulster Spring", "Albert Town"},
        {"Wait-a-Bit", "Albert Town"},
        {"Troy", "Troy"}},
       {"ANN", "MAN", "ELZ", "JAM"},
       {"Falmouth", "Albert Town"},
       {"Falmouth Police Station", "Clark's Town Police Station", "Albert Town Police Station"}},
      {"JAM",
       4,
       4,
       0.07,
       "Montego Bay Market",
       {{"Cambridge", "Cambridge"},
        {"Catadupa", "Cambridge"},
        {"Montpelier", "Montpelier"},
        {"Anchovy", "Montpelier"},
        {"John's Hall", "John's Hall"},
        {"Adelphi", "John's Hall"},
        {"Somerton", "John's Hall"},
        {"Maroon Town", "Maroon Town"}},
       {"TRL", "ELZ", "WML", "HAN"},
       {"Montego Bay"},
       {"Barnett Street Police Station", "Cambridge Police Station", "Montpelier Police Station"}},
      {"HAN",
       4,
       3,
       0.06,
       "Lucea Market",
       {{"Lucea", "Lucea"},
        {"Cascade", "Lucea"},
        {"Chester Castle", "Lucea"},
        {"Ramble", "Lucea"},
        {"Hopewell", "Hopewell"},
        {"Sandy Bay", "Hopewell"},
        {"Green Island", "Green Island"},
        {"Askenish", "Green Island"},
        {"Kendal", "Green Island"}},
       {"JAM", "WML"},
       {"Lucea"},
       {"Lucea Police Station", "Hopewell Police Station", "Green Island Police Station"}},
      {"WML",
       6,
       4,
       0.07,
       "Savanna-la-Mar Market",
       {{"Savanna-la-Mar", "Savanna-la-Mar"},
        {"Petersfield", "Savanna-la-Mar"},
        {"Frome", "Frome"},
        {"Grange Hill", "Grange Hill"},
        {"Little London", "Grange Hill"},
        {"Bethel Town", "Bethel Town"},
        {"Darliston", "Bethel Town"},
        {"Whitehouse", "Whitehouse"},
        {"Bluefields", "Whitehouse"}},
       {"HAN", "JAM", "ELZ"},
       {"Savanna-la-Mar"},
       {"Savanna-la-Mar Police Station", "Frome Police Station", "Whitehouse Police Station"}},
      {"ELZ",
       14,
       8,
       0.08,
       "Santa Cruz Market",
       {{"Santa Cruz", "Santa Cruz"},
        {"Lacovia", "Santa Cruz"},
        {"Junction", "Junction"},
        {"Southfield", "Junction"},
        {"Malvern", "Junction"},
        {"Pedro Plains", "Junction"},
        {"Nain", "Junction"},
        {"Balaclava", "Balaclava"},
        {"Siloah", "Balaclava"},
        {"Elderslie", "Balaclava"},
        {"Black River", "Black River"},
        {"New Market", "Black River"}},
       {"WML", "JAM", "TRL", "MAN"},
       {"Santa Cruz", "Black River", "Junction"},
       {"Santa Cruz Police Station", "Black River Police Station", "Junction Police Station",
        "Balaclava Police Station"}},
      {"MAN",
       10,
       6,
       0.07,
       "Mandeville Market",
       {{"Christiana", "Christiana"},
        {"Walderston", "Christiana"},
        {"Craighead", "Christiana"},
        {"Mandeville", "Mandeville"},
        {"Spur Tree", "Mandeville"},
        {"Williamsfield", "Mandeville"},
        {"Mile Gully", "Mile Gully"},
        {"Porus", "Porus"},
        {"Newport", "Cross Keys"},
        {"Cross Keys", "Cross Keys"},
        {"Alligator Pond", "Cross Keys"}},
       {"ELZ", "TRL", "ANN", "CLA"},
       {"Mandeville", "Christiana"},
       {"Mandeville Police Station", "Christiana Police Station", "Porus Police Station",
        "Cross Keys Police Station"}},
      {"CLA",
       12,
       8,
       0.08,
       "May Pen Market",
       {{"Frankfield", "Frankfield"},
        {"Spaldings", "Frankfield"},
        {"Kellits", "Kellits"},
        {"Crofts Hill", "Kellits"},
        {"Chapelton", "Chapelton"},
        {"Rock River", "Chapelton"},
        {"May Pen", "May Pen"},
        {"Four Paths", "May Pen"},
        {"Mocho", "May Pen"},
        {"Lionel Town", "Lionel Town"}},
       {"MAN", "ANN", "CAT"},
       {"May Pen", "Frankfield"},
       {"May Pen Police Station", "Frankfield Police Station", "Chapelton Police Station",
        "Spaldings Police Station"}},
      {"CAT",
       10,
       8,
       0.07,
       "Linstead Market",
       {{"Linstead", "Linstead"},
        {"Bog Walk", "Linstead"},
        {"Glengoffe", "Linstead"},
        {"Riversdale", "Linstead"},
        {"Ewarton", "Ewarton"},
        {"Lluidas Vale", "Ewarton"},
        {"Point Hill", "Point Hill"},
        {"Spanish Town", "Spanish Town"},
        {"Guanaboa Vale", "Spanish Town"},
        {"Sligoville", "Spanish Town"},
        {"Old Harbour", "Old Harbour"}},
       {"CLA", "ANN", "MRY", "AND"},
       {"Linstead", "Spanish Town"},
       {"Linstead Police Station", "Spanish Town Police Station", "Old Harbour Police Station",
        "Ewarton Police Station"}},
  };
}

size_t CodeIndex(std::string_view code) {
  const auto& parishes = registry::Parishes();
  for (size_t i = 0; i < parishes.size(); ++i) {
    if (parishes[i].code == code) {
      return i;
    }
  }
  throw std::logic_error("demo places name an unknown parish " + std::string(code));
}

std::vector<ParishPlaces> BuildPlaces() {
  std::vector<Draft> drafts = Drafts();
  std::vector<ParishPlaces> places(drafts.size());
  for (Draft& d : drafts) {
    // Stored in registry order, whatever the order above, so indices agree with Parishes().
    ParishPlaces& p = places.at(CodeIndex(d.code));
    p.code = d.code;
    p.farmer_weight = d.farmer_weight;
    p.officer_weight = d.officer_weight;
    p.spread = d.spread;
    p.market = d.market;
    p.districts = std::move(d.districts);
    for (std::string_view n : d.neighbours) {
      p.neighbours.push_back(CodeIndex(n));
    }
    p.outlet_towns = std::move(d.outlet_towns);
    p.police_stations = std::move(d.police_stations);
  }
  return places;
}

}  // namespace

const std::vector<ParishPlaces>& Places() {
  static const std::vector<ParishPlaces> places = BuildPlaces();
  return places;
}

size_t ParishIndex(std::string_view code) {
  return CodeIndex(code);
}

}  // namespace harvest::demo
