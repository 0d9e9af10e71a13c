// Names for demo farmers, buyers and officers: common Jamaican family names (British, Irish,
// Scottish, Indian, Chinese and Lebanese roots), given names typical of a rural register whose
// members were born between the 1940s and the 2000s, and the aliases farmers go by.
#include "demo/country.h"

namespace harvest::demo {
namespace {

constexpr std::string_view kMaleFirst[] = {
    "Adrian",      "Ainsley",    "Alton",     "Andre",    "Andrew",    "Anthony", "Arthur",
    "Audley",      "Barrington", "Basil",     "Bertram",  "Beresford", "Bryan",   "Carlton",
    "Carl",        "Cecil",      "Charles",   "Clifford", "Clive",     "Collin",  "Conroy",
    "Courtney",    "Cyril",      "Dalton",    "Damion",   "Daniel",    "David",   "Delroy",
    "Dennis",      "Derrick",    "Desmond",   "Devon",    "Dewayne",   "Donald",  "Donovan",
    "Dwayne",      "Dwight",     "Earl",      "Easton",   "Edward",    "Egbert",  "Elvis",
    "Errol",       "Everton",    "Fitzroy",   "Franklyn", "Garfield",  "Gary",    "George",
    "Glen",        "Glenroy",    "Gregory",   "Hopeton",  "Horace",    "Howard",  "Hubert",
    "Ian",         "Jermaine",   "Joel",      "John",     "Joseph",    "Junior",  "Keith",
    "Kemar",       "Kenneth",    "Kevin",     "Kirk",     "Lascelles", "Leroy",   "Leonard",
    "Lloyd",       "Lincoln",    "Linval",    "Lorenzo",  "Louis",     "Marlon",  "Mark",
    "Maurice",     "Melvin",     "Michael",   "Milton",   "Mortimer",  "Neville", "Nigel",
    "Noel",        "Norman",     "O'Neil",    "Omar",     "Orville",   "Oswald",  "Owen",
    "Patrick",     "Paul",       "Percival",  "Peter",    "Phillip",   "Ralston", "Ray",
    "Raymond",     "Renford",    "Ricardo",   "Richard",  "Robert",    "Rohan",   "Roland",
    "Ronald",      "Roy",        "Rudolph",   "Rupert",   "Ryan",      "Samuel",  "Sean",
    "Shane",       "Sheldon",    "Sidney",    "Stanford", "Stephen",   "Steve",   "Sylvester",
    "Tafari",      "Trevor",     "Tyrone",    "Uriah",    "Vernon",    "Victor",  "Vincent",
    "Wayne",       "Wesley",     "Wilfred",   "Winston",  "Clement",   "Aldwin",  "Hugh",
    "Alphanso",    "Leighton",   "Cleveland", "Oneil",    "Oral",      "Fabian",  "Kirkland",
    "Christopher", "Rayon",      "Rushane",   "Shawn",    "Jason",     "Kurt",    "Lennox",
    "Nathaniel",   "Wendell",    "Winford",
};

constexpr std::string_view kFemaleFirst[] = {
    "Adina",     "Althea",    "Andrea",    "Angella",  "Ann-Marie", "Annette",   "Audrey",
    "Beverley",  "Blossom",   "Camille",   "Carlene",  "Carol",     "Cherry",    "Claudette",
    "Collette",  "Constance", "Dahlia",    "Daphne",   "Deborah",   "Delores",   "Denise",
    "Donna",     "Doreen",    "Dorothy",   "Dorrett",  "Elaine",    "Elizabeth", "Enid",
    "Erica",     "Esmie",     "Ethel",     "Eunice",   "Evadne",    "Fay",       "Gloria",
    "Grace",     "Hazel",     "Hortense",  "Hyacinth", "Icilda",    "Ivy",       "Jacqueline",
    "Janet",     "Jennifer",  "Joan",      "Joy",      "Judith",    "Julie",     "June",
    "Karen",     "Kerry-Ann", "Keisha",    "Lorna",    "Lorraine",  "Lucille",   "Marcia",
    "Marjorie",  "Marlene",   "Maureen",   "Merline",  "Merle",     "Michelle",  "Millicent",
    "Monica",    "Myrtle",    "Nadine",    "Nadia",    "Natalie",   "Nicole",    "Norma",
    "Olive",     "Opal",      "Pamela",    "Patricia", "Paulette",  "Pearline",  "Petrona",
    "Rosemarie", "Ruth",      "Sandra",    "Sharon",   "Sheila",    "Sherine",   "Shernette",
    "Simone",    "Sonia",     "Stacy-Ann", "Suzette",  "Sybil",     "Tanya",     "Teresa",
    "Valerie",   "Veronica",  "Vivienne",  "Winsome",  "Yvonne",    "Zelda",     "Alicia",
    "Beatrice",  "Cislyn",    "Dionne",    "Eloise",   "Fiona",     "Gwendolyn", "Hilda",
    "Imogene",   "Juliet",    "Kimberley", "Lileth",   "Maxine",    "Novelette", "Odette",
    "Phyllis",   "Rachel",    "Shauna",    "Tamara",   "Una",       "Venice",    "Yolanda",
    "Veneta",    "Sadie",     "Marva",     "Lurline",  "Jenieve",   "Dawn",      "Claudia",
    "Amoy",      "Tashana",   "Shanique",  "Kadian",
};

constexpr std::string_view kLast[] = {
    "Allen",      "Anderson",   "Atkinson",   "Bailey",      "Barnes",    "Barrett",
    "Beckford",   "Bell",       "Bennett",    "Bernard",     "Black",     "Blake",
    "Bogle",      "Bonner",     "Bowen",      "Bromfield",   "Brooks",    "Brown",
    "Bryan",      "Bryce",      "Buchanan",   "Burke",       "Burrell",   "Byfield",
    "Campbell",   "Carter",     "Chambers",   "Chang",       "Chen",      "Chin",
    "Christie",   "Clarke",     "Clayton",    "Cole",        "Coleman",   "Collins",
    "Cooper",     "Cousins",    "Cunningham", "Dacosta",     "Daley",     "Davidson",
    "Davis",      "Dawkins",    "Dennis",     "Dixon",       "Douglas",   "Downer",
    "Duncan",     "Dunkley",    "Dyer",       "Edwards",     "Ellis",     "Evans",
    "Facey",      "Ferguson",   "Fletcher",   "Forbes",      "Foster",    "Francis",
    "Fraser",     "Gayle",      "Gibbs",      "Gilbert",     "Goldson",   "Gooden",
    "Gordon",     "Graham",     "Grant",      "Gray",        "Green",     "Gregory",
    "Griffiths",  "Hall",       "Hamilton",   "Hanson",      "Harris",    "Harrison",
    "Haughton",   "Hayles",     "Henry",      "Hewitt",      "Hibbert",   "Hill",
    "Hinds",      "Hudson",     "Hunter",     "Hutchinson",  "Hylton",    "Ivey",
    "Jackson",    "James",      "Jarrett",    "Johnson",     "Johnston",  "Jones",
    "Jordan",     "Kelly",      "Kennedy",    "Kerr",        "King",      "Knight",
    "Lawrence",   "Lawson",     "Lee",        "Levy",        "Lewis",     "Lindo",
    "Lindsay",    "Livingston", "Lyn",        "Mahfood",     "Malcolm",   "Marshall",
    "Martin",     "Mattis",     "Maxwell",    "McDonald",    "McFarlane", "McGregor",
    "McIntosh",   "McKenzie",   "McLean",     "McLeod",      "McPherson", "Miller",
    "Mills",      "Mitchell",   "Moncrieffe", "Moore",       "Morgan",    "Morris",
    "Morrison",   "Mullings",   "Murphy",     "Murray",      "Myers",     "Nelson",
    "Newman",     "Nugent",     "O'Connor",   "Osbourne",    "Palmer",    "Parkes",
    "Patterson",  "Pearson",    "Peart",      "Pennant",     "Perkins",   "Persaud",
    "Phillips",   "Pinnock",    "Porter",     "Powell",      "Pryce",     "Ramsay",
    "Rankine",    "Reece",      "Reid",       "Reynolds",    "Richards",  "Richardson",
    "Ricketts",   "Riley",      "Roberts",    "Robinson",    "Rose",      "Rowe",
    "Russell",    "Salmon",     "Samuels",    "Sanderson",   "Scott",     "Senior",
    "Shaw",       "Shirley",    "Simms",      "Simpson",     "Sinclair",  "Singh",
    "Smith",      "Spence",     "Stephenson", "Sterling",    "Stewart",   "Stone",
    "Sutherland", "Taylor",     "Thomas",     "Thompson",    "Tomlinson", "Townsend",
    "Tucker",     "Turner",     "Vassell",    "Vernon",      "Walker",    "Wallace",
    "Walters",    "Ward",       "Watson",     "Watt",        "Webb",      "Webster",
    "Wedderburn", "Whyte",      "White",      "Wilks",       "Williams",  "Williamson",
    "Wilson",     "Witter",     "Wong",       "Wright",      "Wynter",    "Young",
    "Anglin",     "Bignall",    "Blackwood",  "Brissett",    "Cameron",   "Clarke-Brown",
    "Coke",       "Comrie",     "Crooks",     "Cross",       "Dalling",   "Dunn",
    "Ebanks",     "Fagan",      "Gentles",    "Gordon-Reid", "Gutzmer",   "Heron",
    "Higgins",    "Hemmings",   "Kong",       "Lue",         "Mais",      "Minott",
    "Nembhard",   "Nicholson",  "Ogilvie",    "Pottinger",   "Ramdial",   "Raymond",
    "Rhoden",     "Rodney",     "Ruddock",    "Scarlett",    "Smikle",    "Solomon",
    "Tulloch",    "Virgo",      "Waite",      "Walcott",     "Wint",      "Wisdom",
    "Yap",        "Zaidie",
};

constexpr std::string_view kMaleAliases[] = {
    "Bigga",    "Shortman", "Tallman",  "Dread",   "Natty",  "Bredda",   "Blacka",   "Red Man",
    "Brownman", "Pupa",     "Ras",      "Country", "Slim",   "Fatta",    "Junior",   "Sonny",
    "Teacha",   "Bossman",  "Yardie",   "Breddi",  "Skinny", "Mass Joe", "Uncle",    "Biggs",
    "Cutty",    "Pinchy",   "Lion",     "Bushman", "Farmer", "Yam Man",  "Scotchie", "Dreddy",
    "Chappie",  "Deacon",   "Preacher", "Bull",
};

constexpr std::string_view kFemaleAliases[] = {
    "Miss Ivy", "Sister P", "Mama",  "Auntie", "Miss Lou", "Granny",      "Miss Birdie", "Shorty",
    "Red Gal",  "Miss Pat", "Mummy", "Pinky",  "Sister",   "Miss Mattie", "Tiny",        "Precious",
};

}  // namespace

std::span<const std::string_view> MaleFirstNames() {
  return kMaleFirst;
}
std::span<const std::string_view> FemaleFirstNames() {
  return kFemaleFirst;
}
std::span<const std::string_view> LastNames() {
  return kLast;
}
std::span<const std::string_view> MaleAliases() {
  return kMaleAliases;
}
std::span<const std::string_view> FemaleAliases() {
  return kFemaleAliases;
}

}  // namespace harvest::demo
