#include "generate/catalog.h"

#include <vector>

namespace sm::generate::catalog {
namespace {

using G = Group;
using std::string_view;

// Goods. Quantities and prices are chosen so that a line lands where real shipments do: a crude cargo of an
// Aframax or Suezmax is 60-140 kt at 450-620 USD/t (tens of millions), a reefer container of fish or pork is
// 10-27 t at a few dollars a kilogram (tens of thousands), chips come by the thousand at cents to dollars.
// HS 2022 moved aircraft parts from 8803 to 8807, so 8803xx codes do not exist here.
constexpr Good kGoods[] = {
    // Energy (chapter 27).
    {"270900", G::kEnergy, "crude petroleum oil", "t", 60'000, 140'000, 45'000, 62'000, 45},
    {"271012", G::kEnergy, "naphtha (light oils)", "t", 20'000, 60'000, 55'000, 75'000, 5},
    {"271019", G::kEnergy, "diesel fuel and fuel oil", "t", 20'000, 90'000, 45'000, 80'000, 15},
    {"271111", G::kEnergy, "liquefied natural gas", "t", 60'000, 80'000, 40'000, 75'000, 12},
    {"271121", G::kEnergy, "natural gas, pipeline", "1000 m3", 50'000, 400'000, 20'000, 35'000, 5},
    {"271112", G::kEnergy, "liquefied propane", "t", 2'000, 20'000, 45'000, 65'000, 3},
    {"270112", G::kEnergy, "thermal coal, bituminous", "t", 50'000, 160'000, 8'000, 14'000, 14},
    {"270111", G::kEnergy, "anthracite", "t", 30'000, 75'000, 11'000, 18'000, 3},
    {"270119", G::kEnergy, "coal, sub-bituminous", "t", 30'000, 75'000, 7'000, 11'000, 3},
    // Common High Priority List (BIS version of 2024-02-23), a selection across the tiers.
    {"854231", G::kChpl, "microcontrollers and processors", "pcs", 500, 60'000, 150, 9'000, 14},
    {"854232", G::kChpl, "memory chips", "pcs", 1'000, 80'000, 100, 2'500, 8},
    {"854233", G::kChpl, "amplifier integrated circuits", "pcs", 1'000, 50'000, 50, 800, 3},
    {"854239", G::kChpl, "integrated circuits (FPGA)", "pcs", 200, 20'000, 200, 20'000, 6},
    {"851762", G::kChpl, "network routers and switches", "pcs", 20, 2'000, 15'000, 250'000, 8},
    {"852691", G::kChpl, "GNSS navigation modules", "pcs", 50, 5'000, 2'000, 40'000, 5},
    {"853221", G::kChpl, "tantalum capacitors", "pcs", 10'000, 500'000, 5, 80, 3},
    {"853224", G::kChpl, "multilayer ceramic capacitors", "pcs", 50'000, 2'000'000, 1, 10, 4},
    {"847150", G::kChpl, "server processing units", "pcs", 5, 400, 80'000, 1'200'000, 4},
    {"850440", G::kChpl, "static converters, power supplies", "pcs", 50, 5'000, 2'000, 80'000, 6},
    {"852910", G::kChpl, "aerials and antenna parts", "pcs", 100, 10'000, 500, 20'000, 4},
    {"853690", G::kChpl, "connectors and switching apparatus", "pcs", 500, 50'000, 50, 3'000, 4},
    {"854110", G::kChpl, "diodes", "pcs", 10'000, 1'000'000, 2, 50, 2},
    {"854129", G::kChpl, "power transistors", "pcs", 5'000, 500'000, 10, 400, 3},
    {"848210", G::kChpl, "ball bearings", "pcs", 500, 50'000, 100, 5'000, 6},
    {"848220", G::kChpl, "tapered roller bearings", "pcs", 200, 20'000, 500, 10'000, 3},
    {"880730", G::kChpl, "aircraft parts", "pcs", 5, 500, 50'000, 5'000'000, 3},
    {"901310", G::kChpl, "telescopic sights", "pcs", 10, 500, 20'000, 300'000, 1},
    {"901420", G::kChpl, "aeronautical navigation instruments", "pcs", 5, 200, 50'000, 1'500'000, 2},
    {"847180", G::kChpl, "computer units", "pcs", 10, 1'000, 10'000, 400'000, 2},
    {"848620", G::kChpl, "semiconductor manufacturing equipment", "pcs", 1, 5, 20'000'000, 300'000'000, 1},
    {"853400", G::kChpl, "printed circuit boards", "pcs", 500, 50'000, 100, 5'000, 3},
    {"903020", G::kChpl, "oscilloscopes", "pcs", 5, 200, 50'000, 2'500'000, 2},
    {"845710", G::kChpl, "CNC machining centres", "pcs", 1, 8, 8'000'000, 60'000'000, 2},
    {"845811", G::kChpl, "CNC horizontal lathes", "pcs", 1, 10, 4'000'000, 40'000'000, 2},
    {"846693", G::kChpl, "machine tool parts", "pcs", 20, 2'000, 5'000, 300'000, 2},
    // Aircraft parts and engines.
    {"880710", G::kAircraft, "propellers, rotors and parts", "pcs", 1, 40, 500'000, 15'000'000, 2},
    {"880720", G::kAircraft, "landing gear and parts", "pcs", 1, 30, 1'000'000, 30'000'000, 3},
    {"880790", G::kAircraft, "aircraft parts", "pcs", 5, 500, 20'000, 2'000'000, 3},
    {"841191", G::kAircraft, "turbojet engine parts", "pcs", 5, 300, 100'000, 10'000'000, 5},
    {"841199", G::kAircraft, "gas turbine parts", "pcs", 5, 300, 50'000, 5'000'000, 3},
    {"841112", G::kAircraft, "turbojet engines over 25 kN", "pcs", 1, 2, 300'000'000, 1'200'000'000, 1},
    {"840910", G::kAircraft, "aircraft engine parts", "pcs", 10, 500, 10'000, 500'000, 1},
    // Machinery.
    {"842952", G::kMachinery, "crawler excavators", "pcs", 1, 20, 6'000'000, 40'000'000, 8},
    {"842911", G::kMachinery, "crawler bulldozers", "pcs", 1, 10, 10'000'000, 50'000'000, 3},
    {"842720", G::kMachinery, "forklift trucks", "pcs", 2, 40, 1'500'000, 6'000'000, 5},
    {"841370", G::kMachinery, "centrifugal pumps", "pcs", 5, 300, 50'000, 2'000'000, 5},
    {"848180", G::kMachinery, "industrial valves", "pcs", 50, 5'000, 2'000, 200'000, 5},
    {"847989", G::kMachinery, "industrial machines", "pcs", 1, 20, 500'000, 20'000'000, 5},
    {"843149", G::kMachinery, "parts of earth-moving machinery", "pcs", 50, 3'000, 5'000, 300'000, 5},
    {"842139", G::kMachinery, "gas filtering equipment", "pcs", 5, 200, 50'000, 3'000'000, 2},
    {"847130", G::kMachinery, "laptop computers", "pcs", 100, 5'000, 25'000, 150'000, 5},
    // Passenger cars.
    {"870322", G::kCars, "passenger cars, 1.0-1.5 l", "pcs", 10, 300, 1'000'000, 1'800'000, 4},
    {"870323", G::kCars, "passenger cars, 1.5-3.0 l", "pcs", 10, 300, 1'500'000, 4'000'000, 10},
    {"870324", G::kCars, "passenger cars, over 3.0 l", "pcs", 2, 60, 4'000'000, 12'000'000, 2},
    {"870340", G::kCars, "hybrid passenger cars", "pcs", 5, 150, 2'500'000, 5'000'000, 3},
    {"870360", G::kCars, "plug-in hybrid passenger cars", "pcs", 5, 150, 2'500'000, 5'500'000, 3},
    {"870380", G::kCars, "electric passenger cars", "pcs", 5, 200, 2'000'000, 6'000'000, 3},
    // Fish and seafood.
    {"030367", G::kFish, "frozen Alaska pollock", "kg", 10'000, 120'000, 100, 250, 8},
    {"030475", G::kFish, "frozen pollock fillets", "kg", 10'000, 60'000, 250, 500, 3},
    {"030363", G::kFish, "frozen cod", "kg", 10'000, 80'000, 300, 600, 4},
    {"030312", G::kFish, "frozen Pacific salmon", "kg", 10'000, 60'000, 300, 700, 3},
    {"030614", G::kFish, "frozen crabs", "kg", 2'000, 20'000, 1'500, 4'500, 3},
    {"030617", G::kFish, "frozen shrimps", "kg", 5'000, 25'000, 500, 1'000, 3},
    {"030354", G::kFish, "frozen mackerel", "kg", 10'000, 100'000, 100, 200, 2},
    // Pork.
    {"020329", G::kPork, "frozen pork cuts", "kg", 10'000, 27'000, 200, 400, 5},
    {"020322", G::kPork, "frozen pork hams and shoulders, bone in", "kg", 10'000, 27'000, 200, 380, 3},
    {"020319", G::kPork, "chilled pork", "kg", 5'000, 20'000, 250, 450, 1},
    // Dairy.
    {"040221", G::kDairy, "whole milk powder", "kg", 5'000, 25'000, 250, 450, 4},
    {"040210", G::kDairy, "skimmed milk powder", "kg", 5'000, 25'000, 230, 400, 2},
    {"040510", G::kDairy, "butter", "kg", 5'000, 20'000, 450, 800, 3},
    {"040690", G::kDairy, "cheese", "kg", 3'000, 20'000, 400, 900, 4},
    // Soybeans.
    {"120190", G::kSoybeans, "soybeans", "t", 50, 3'000, 40'000, 55'000, 1},
    // Confectionery.
    {"170490", G::kConfectionery, "sugar confectionery", "kg", 3'000, 20'000, 200, 500, 3},
    {"180632", G::kConfectionery, "chocolate bars", "kg", 3'000, 15'000, 400, 900, 3},
    {"180690", G::kConfectionery, "chocolate products", "kg", 3'000, 20'000, 350, 800, 3},
    {"180631", G::kConfectionery, "filled chocolate bars", "kg", 3'000, 15'000, 450, 950, 1},
    // Furniture.
    {"940360", G::kFurniture, "wooden furniture", "pcs", 50, 2'000, 3'000, 50'000, 5},
    {"940330", G::kFurniture, "wooden office furniture", "pcs", 20, 1'000, 5'000, 60'000, 2},
    {"940350", G::kFurniture, "wooden bedroom furniture", "pcs", 20, 1'000, 8'000, 80'000, 2},
    {"940320", G::kFurniture, "metal furniture", "pcs", 50, 2'000, 2'000, 30'000, 2},
    // Fertilisers.
    {"310210", G::kFertiliser, "urea", "t", 500, 40'000, 25'000, 40'000, 4},
    {"310420", G::kFertiliser, "potassium chloride", "t", 1'000, 50'000, 25'000, 35'000, 4},
    {"310530", G::kFertiliser, "diammonium phosphate", "t", 500, 30'000, 50'000, 65'000, 2},
    {"310520", G::kFertiliser, "NPK fertiliser", "t", 500, 30'000, 35'000, 50'000, 2},
    {"310540", G::kFertiliser, "monoammonium phosphate", "t", 500, 30'000, 50'000, 65'000, 1},
    {"310230", G::kFertiliser, "ammonium nitrate", "t", 500, 30'000, 25'000, 35'000, 2},
    // Timber.
    {"440712", G::kTimber, "sawn spruce and fir", "m3", 100, 5'000, 15'000, 25'000, 5},
    {"440711", G::kTimber, "sawn pine", "m3", 100, 5'000, 15'000, 25'000, 4},
    {"440321", G::kTimber, "pine logs", "m3", 200, 8'000, 8'000, 14'000, 2},
    {"441233", G::kTimber, "birch plywood", "m3", 50, 1'500, 50'000, 80'000, 2},
};

// Settlement mixes. Russia-China: energy cargoes are mostly settled in roubles and yuan (here 80% with CNH),
// other goods about half (50%); the rest is USD, EUR, AED, HKD and a little netting and barter.
constexpr CurrencyShare kRuCnEnergy[] = {{"RUB", 40}, {"CNY", 37}, {"CNH", 3}, {"USD", 10}, {"EUR", 2},
                                         {"AED", 4},  {"HKD", 2},  {"NETTING", 1}, {"BARTER", 1}};
constexpr CurrencyShare kRuCnOther[] = {{"RUB", 22}, {"CNY", 26}, {"CNH", 2}, {"USD", 26}, {"EUR", 10},
                                        {"AED", 5},  {"HKD", 5},  {"NETTING", 2}, {"BARTER", 2}};
// India: oil paid largely through Dubai in AED, some roubles and rupees (vostro accounts).
constexpr CurrencyShare kRuInEnergy[] = {{"RUB", 35}, {"INR", 15}, {"AED", 25}, {"USD", 15},
                                         {"CNY", 5},  {"NETTING", 3}, {"BARTER", 2}};
constexpr CurrencyShare kRuInOther[] = {{"INR", 30}, {"RUB", 30}, {"AED", 15}, {"USD", 20}, {"NETTING", 3}, {"BARTER", 2}};
constexpr CurrencyShare kRuTrEnergy[] = {{"RUB", 45}, {"TRY", 20}, {"USD", 25}, {"EUR", 5}, {"NETTING", 3}, {"BARTER", 2}};
constexpr CurrencyShare kRuTrOther[] = {{"RUB", 30}, {"TRY", 20}, {"USD", 30}, {"EUR", 15},
                                        {"AED", 2},  {"NETTING", 2}, {"BARTER", 1}};
constexpr CurrencyShare kRuKz[] = {{"RUB", 60}, {"KZT", 15}, {"USD", 15}, {"EUR", 3}, {"CNY", 5}, {"NETTING", 2}};
constexpr CurrencyShare kAeRu[] = {{"AED", 30}, {"RUB", 25}, {"USD", 30}, {"EUR", 5},
                                   {"CNY", 5},  {"NETTING", 3}, {"BARTER", 2}};
constexpr CurrencyShare kByRu[] = {{"RUB", 80}, {"BYN", 10}, {"USD", 5}, {"EUR", 2}, {"NETTING", 3}};
constexpr CurrencyShare kDeRu[] = {{"EUR", 60}, {"RUB", 15}, {"USD", 15}, {"CNY", 5}, {"AED", 3}, {"NETTING", 2}};
constexpr CurrencyShare kCnKz[] = {{"CNY", 35}, {"KZT", 5}, {"USD", 50}, {"RUB", 5}, {"EUR", 3}, {"NETTING", 2}};
constexpr CurrencyShare kHkRu[] = {{"HKD", 15}, {"RUB", 20}, {"CNH", 25}, {"CNY", 10},
                                   {"USD", 25}, {"AED", 3},  {"NETTING", 2}};
constexpr CurrencyShare kKgRu[] = {{"RUB", 50}, {"KGS", 5}, {"USD", 30}, {"CNY", 10}, {"NETTING", 5}};
constexpr CurrencyShare kAmRu[] = {{"RUB", 50}, {"AMD", 5}, {"USD", 30}, {"AED", 10}, {"NETTING", 5}};

constexpr string_view kTransitCnRu[] = {"KZ", "KG", "MN"};
constexpr string_view kTransitRuCn[] = {"KZ", "MN"};
constexpr string_view kTransitInRu[] = {"AE", "IR", "AZ"};  // Also the North-South corridor through Iran.
constexpr string_view kTransitRuIn[] = {"AE", "TR"};
constexpr string_view kTransitTrRu[] = {"GE", "AZ"};
constexpr string_view kTransitDeRu[] = {"TR", "GE", "AM", "KZ", "KG", "AE"};  // Re-export routes.
constexpr string_view kTransitAeRu[] = {"AM", "GE", "KZ", "AZ"};
constexpr string_view kTransitHkRu[] = {"CN", "KZ", "AE", "KG"};
constexpr string_view kTransitAmRu[] = {"GE"};  // Upper Lars crossing.
constexpr string_view kTransitKgRu[] = {"KZ"};
constexpr string_view kTransitRuTr[] = {"GE"};

//                           Enrg Chpl Air Mach Cars Fish Pork Dairy Soy Conf Furn Fert Timb
constexpr Corridor kCorridors[] = {
    {"CN", "RU", 260, {0, 18, 3, 30, 22, 1, 0, 0, 0, 3, 12, 0, 0}, kRuCnEnergy, kRuCnOther, 15, kTransitCnRu},
    {"RU", "CN", 230, {62, 0, 0, 1, 0, 10, 3, 1, 3, 3, 0, 7, 10}, kRuCnEnergy, kRuCnOther, 5, kTransitRuCn},
    {"RU", "IN", 110, {85, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 3}, kRuInEnergy, kRuInOther, 10, kTransitRuIn},
    {"IN", "RU", 40, {0, 10, 0, 35, 0, 30, 0, 0, 0, 5, 5, 0, 0}, kRuInEnergy, kRuInOther, 25, kTransitInRu},
    {"TR", "RU", 60, {0, 8, 2, 30, 5, 5, 0, 2, 0, 15, 15, 0, 0}, kRuTrEnergy, kRuTrOther, 25, kTransitTrRu},
    {"RU", "TR", 50, {70, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 10}, kRuTrEnergy, kRuTrOther, 5, kTransitRuTr},
    {"KZ", "RU", 50, {10, 25, 5, 30, 15, 0, 0, 5, 0, 5, 0, 5, 0}, kRuKz, kRuKz, 0, {}},
    {"RU", "KZ", 20, {40, 0, 0, 20, 0, 0, 0, 10, 0, 15, 0, 10, 5}, kRuKz, kRuKz, 0, {}},
    {"AE", "RU", 45, {0, 40, 20, 20, 15, 0, 0, 0, 0, 5, 0, 0, 0}, kAeRu, kAeRu, 30, kTransitAeRu},
    {"BY", "RU", 50, {0, 5, 0, 25, 0, 0, 15, 35, 0, 0, 10, 10, 0}, kByRu, kByRu, 0, {}},
    {"DE", "RU", 20, {0, 10, 5, 50, 20, 0, 5, 0, 0, 10, 0, 0, 0}, kDeRu, kDeRu, 60, kTransitDeRu},
    {"CN", "KZ", 35, {0, 15, 0, 35, 25, 0, 0, 0, 0, 5, 15, 0, 0}, kCnKz, kCnKz, 0, {}},
    {"HK", "RU", 30, {0, 70, 10, 15, 5, 0, 0, 0, 0, 0, 0, 0, 0}, kHkRu, kHkRu, 40, kTransitHkRu},
    {"KG", "RU", 10, {0, 40, 10, 30, 20, 0, 0, 0, 0, 0, 0, 0, 0}, kKgRu, kKgRu, 20, kTransitKgRu},
    {"AM", "RU", 10, {0, 40, 10, 30, 20, 0, 0, 0, 0, 0, 0, 0, 0}, kAmRu, kAmRu, 70, kTransitAmRu},
};

struct Rate {
  string_view code;
  std::int64_t per_usd_e4;
};
constexpr Rate kRates[] = {{"USD", 10'000},  {"RUB", 900'000}, {"CNY", 72'000},    {"CNH", 72'200},
                           {"INR", 835'000}, {"AED", 36'725},  {"TRY", 325'000},   {"KZT", 4'500'000},
                           {"BYN", 32'700},  {"HKD", 78'200},  {"EUR", 9'200},     {"KGS", 890'000},
                           {"AMD", 3'900'000}, {"GEL", 27'000}};

// Invented banks, grouped by country; their BICs follow the format (bank code, the bank's country, location)
// but are meant to name no real bank.
constexpr BankInfo kBanks[] = {
    {"RU", "Volga Credit Bank", "VLCB", "MM"},
    {"RU", "Sibirsky Kommerchesky Bank", "SIKB", "2N"},
    {"RU", "Ural Trade Bank", "URTB", "2E"},
    {"RU", "Baltiysky Investitsionny Bank", "BLIB", "2P"},
    {"RU", "Dalnevostochny Regionalny Bank", "DVRB", "2V"},
    {"CN", "Heilongjiang Border Commercial Bank", "HBCO", "HA"},
    {"CN", "Zhejiang Coastal Rural Bank", "ZCRU", "HZ"},
    {"CN", "Shenzhen Pearl River Bank", "SZPR", "SZ"},
    {"CN", "Northern Silk Road Bank", "NSRO", "BJ"},
    {"IN", "Deccan Mercantile Bank", "DCMB", "BB"},
    {"IN", "Konkan Cooperative Bank", "KKCO", "BB"},
    {"IN", "Punjab Frontier Bank", "PNFR", "DL"},
    {"TR", "Anadolu Katilim Bankasi", "ANKT", "IS"},
    {"TR", "Ege Ticaret Bankasi", "EGTB", "IZ"},
    {"TR", "Bosphorus Clearing Bank", "BSCL", "IS"},
    {"AE", "Gulf Pearl Bank", "GPRL", "AD"},
    {"AE", "Emirates Crescent Bank", "EMCR", "DX"},
    {"KZ", "Steppe Commercial Bank", "STPC", "KA"},
    {"KZ", "Altyn Dala Bank", "ALDL", "KX"},
    {"BY", "Polesie Bank", "PLSE", "2X"},
    {"BY", "Minsk Transit Bank", "MNTR", "2X"},
    {"DE", "Hanseatische Handelsbank", "HNHB", "HH"},
    {"DE", "Rheinische Kreditbank", "RHKB", "DD"},
    {"HK", "Victoria Harbour Bank", "VHRB", "HH"},
    {"HK", "Kowloon Commerce Bank", "KWCM", "HK"},
    {"KG", "Issyk-Kul Bank", "ISKL", "22"},
    {"KG", "Tian Shan Bank", "TNSB", "22"},
    {"AM", "Ararat Valley Bank", "ARVL", "22"},
    {"GE", "Kartli Bank", "KRTL", "22"},
    {"US", "Hudson Continental Bank", "HDCN", "33"},
};

// Word lists. Pairs give the Latin and the native spelling of the same word.
struct Pair {
  string_view latin, native;
};
template <typename T, std::size_t N>
const T& pick(const T (&items)[N], Rng& rng) {
  return items[rng.below(N)];
}

constexpr Pair kCnPlaces[] = {{"Shenzhen", "深圳"}, {"Shanghai", "上海"},   {"Guangzhou", "广州"}, {"Ningbo", "宁波"},
                              {"Yiwu", "义乌"},     {"Qingdao", "青岛"},    {"Tianjin", "天津"},   {"Harbin", "哈尔滨"},
                              {"Xiamen", "厦门"},   {"Suifenhe", "绥芬河"}, {"Manzhouli", "满洲里"}, {"Urumqi", "乌鲁木齐"},
                              {"Dalian", "大连"},   {"Hangzhou", "杭州"}};
constexpr Pair kCnBrands[] = {{"Huaxin", "华信"},  {"Jinda", "金达"},    {"Hongyuan", "宏远"}, {"Ruifeng", "瑞丰"},
                              {"Xinsheng", "新盛"}, {"Yongtai", "永泰"}, {"Hengtong", "恒通"}, {"Jiahe", "嘉禾"},
                              {"Boyuan", "博远"},  {"Kaida", "凯达"},    {"Shengtai", "盛泰"}, {"Anxin", "安信"},
                              {"Tianrui", "天瑞"}, {"Mingda", "明达"}};
constexpr Pair kCnTrades[] = {{"Electronics", "电子"},    {"Machinery", "机械"},  {"Energy", "能源"},
                              {"Auto Parts", "汽车配件"}, {"Technology", "科技"}, {"Industrial", "实业"},
                              {"Supply Chain", "供应链"}, {"Food", "食品"},       {"Import and Export", "进出口"}};

constexpr Pair kRuStems[] = {{"Tekhno", "Техно"}, {"Ural", "Урал"},   {"Sib", "Сиб"},       {"Volga", "Волга"},
                             {"Energo", "Энерго"}, {"Neft", "Нефть"}, {"Avto", "Авто"},     {"Agro", "Агро"},
                             {"Elektro", "Электро"}, {"Sever", "Север"}, {"Balt", "Балт"}, {"Vostok", "Восток"},
                             {"Stroy", "Строй"},   {"Kama", "Кама"},  {"Amur", "Амур"},     {"Don", "Дон"}};
constexpr Pair kRuEndings[] = {{"snab", "снаб"},       {"treid", "трейд"},   {"impeks", "импэкс"}, {"resurs", "ресурс"},
                               {"servis", "сервис"},   {"komplekt", "комплект"}, {"invest", "инвест"},
                               {"logistik", "логистик"}, {"torg", "торг"},   {"prom", "пром"},     {"tekh", "тех"}};
struct City {
  string_view name;
  string_view code;  // Region or state code used in registration ids.
};
constexpr City kRuCities[] = {{"Moscow", "77"},       {"Saint Petersburg", "78"}, {"Novosibirsk", "54"},
                              {"Vladivostok", "25"},  {"Yekaterinburg", "66"},    {"Kazan", "16"},
                              {"Khabarovsk", "27"},   {"Krasnodar", "23"}};
constexpr Pair kByStems[] = {{"Minsk", "Минск"}, {"Brest", "Брест"}, {"Gomel", "Гомель"}, {"Vitebsk", "Витебск"},
                             {"Grodno", "Гродно"}, {"Bel", "Бел"},   {"Polesie", "Полесье"}};
constexpr City kByCities[] = {{"Minsk", "1"}, {"Brest", "2"}, {"Gomel", "4"}, {"Vitebsk", "3"}, {"Grodno", "5"}};
constexpr Pair kKzWords[] = {{"Astana", "Астана"}, {"Almaty", "Алматы"}, {"Dala", "Дала"},     {"Altyn", "Алтын"},
                             {"Nur", "Нур"},       {"Saryarka", "Сарыарка"}, {"Ertis", "Ертис"}, {"Zhetisu", "Жетысу"}};
constexpr Pair kKzEndings[] = {{"Trade", "Трейд"}, {"Import", "Импорт"}, {"Logistics", "Логистикс"},
                               {"Tekhnika", "Техника"}, {"Snab", "Снаб"}, {"Group", "Групп"}};
constexpr string_view kKzCities[] = {"Almaty", "Astana", "Shymkent", "Karaganda", "Aktobe"};
constexpr string_view kInWords[] = {"Shree Ganesh", "Bharat", "Mehta", "Sai Krishna", "Om Sagar", "Navkar",
                                    "Shivam", "Vardhan", "Ganga", "Sahyadri", "Kaveri", "Anand"};
constexpr string_view kInTrades[] = {"Exports", "Impex", "Engineering", "Petrochem", "Marine Products",
                                     "Agro Foods", "Overseas", "Electronics", "Industries"};
constexpr string_view kInForms[] = {"Pvt Ltd", "Private Limited", "Pvt. Ltd."};
constexpr City kInCities[] = {{"Mumbai", "MH"}, {"Ahmedabad", "GJ"}, {"New Delhi", "DL"}, {"Chennai", "TN"},
                              {"Bengaluru", "KA"}, {"Kochi", "KL"}};
constexpr string_view kTrWords[] = {"Anadolu", "Boğaziçi", "Ege",   "Marmara", "Karadeniz", "Yıldız",
                                    "Toros",   "Kartal",   "Akdeniz", "Ada",   "Kapadokya", "Trakya"};
constexpr string_view kTrTrades[] = {"Makina", "Gıda", "Elektronik", "Lojistik", "Enerji", "Otomotiv", "Tekstil", "Mobilya"};
constexpr string_view kTrForms[] = {"Sanayi ve Ticaret A.Ş.", "Dış Ticaret A.Ş.", "A.Ş.", "İthalat İhracat Ltd. Şti."};
constexpr string_view kTrCities[] = {"Istanbul", "Izmir", "Mersin", "Ankara", "Bursa"};
constexpr string_view kAeWords[] = {"Al Noor", "Gulf Star", "Desert Falcon", "Al Baraka", "Oasis", "Blue Pearl",
                                    "Crescent Bay", "Palm Horizon", "Al Safa", "Silver Dune", "Sand Rose"};
constexpr string_view kAeTrades[] = {"General Trading", "Electronics Trading", "Petroleum Trading", "Logistics",
                                     "Aviation Services", "Industrial Supplies", "Auto Spare Parts Trading"};
constexpr string_view kAeForms[] = {"FZE", "FZCO", "L.L.C", "DMCC"};
constexpr string_view kAeAddresses[] = {"Jebel Ali Free Zone, Dubai", "DMCC, Dubai", "Deira, Dubai",
                                        "Sharjah Airport Free Zone", "Abu Dhabi"};
constexpr string_view kDeWords[] = {"Rhein", "Hansa", "Elbe", "Nordwest", "Bayern", "Schwarzwald",
                                    "Weser", "Saale", "Alpen", "Main",     "Spree",  "Ostsee"};
constexpr string_view kDeTrades[] = {"Maschinenbau", "Handels", "Technik", "Elektronik", "Logistik", "Automobil", "Anlagenbau"};
constexpr string_view kDeForms[] = {"GmbH", "GmbH & Co. KG", "AG"};
constexpr string_view kDeCities[] = {"Hamburg", "Frankfurt am Main", "Munich", "Düsseldorf", "Berlin", "Stuttgart"};
constexpr string_view kHkWords[] = {"Golden Bridge", "Victoria", "Harbour Star", "Pacific Dragon", "Jade Ocean",
                                    "Silver Sail",   "Lucky Wave", "Grand Orient", "Fortune Link", "Kowloon Bay"};
constexpr string_view kHkTrades[] = {"Trading", "Electronics", "Technology", "International", "Supply Chain", "Industrial"};
constexpr string_view kHkForms[] = {"Limited", "Co., Limited", "(HK) Limited", "Holdings Limited"};
constexpr string_view kHkDistricts[] = {"Kowloon", "Wan Chai", "Kwun Tong", "Sheung Wan", "Tsim Sha Tsui"};
constexpr string_view kKgWords[] = {"Bishkek", "Osh", "Tian Shan", "Ala-Too", "Issyk-Kul", "Chui", "Manas"};
constexpr string_view kAmWords[] = {"Ararat", "Sevan", "Arax", "Aragats", "Garni", "Dilijan", "Masis"};
constexpr string_view kGeWords[] = {"Kartli", "Kolkheti", "Rioni", "Mtkvari", "Iveria", "Poti", "Samgori"};
constexpr string_view kSmallTrades[] = {"Trade", "Logistics", "Import", "Tech", "Group", "Cargo", "Service"};
constexpr string_view kGenericWords[] = {"Meridian", "Northstar", "Atlas", "Orion", "Zenith", "Polaris"};

constexpr string_view kVesselFirst[] = {"ARCTIC", "OCEAN", "SEA", "PACIFIC", "VOLGA", "NORDIC", "GOLDEN", "SILVER",
                                        "EASTERN", "CASPIAN", "BALTIC", "CORAL", "JADE", "AMUR", "STAR", "GRAND"};
constexpr string_view kVesselSecond[] = {"VOYAGER", "PIONEER", "FALCON", "SPIRIT", "GLORY", "HARMONY", "DAWN",
                                         "LEGEND", "PRIDE", "WAVE",    "TRADER", "QUEEN", "HORIZON", "BREEZE"};
// Flags seen on tankers and bulkers in Russia trade, the open registries first.
constexpr string_view kFlags[] = {"PA", "LR", "MH", "GA", "CM", "KM", "MT", "GR", "RU", "HK", "SL", "CK"};
constexpr std::uint32_t kFlagWeights[] = {18, 14, 12, 8, 6, 6, 8, 8, 10, 4, 3, 3};

void append_digits(std::string& out, Rng& rng, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>('0' + rng.below(10)));
}

// Russian INN of a legal entity: 10 digits, the last a check digit (weights 2,4,10,3,5,9,4,6,8; mod 11 mod 10).
std::string russian_inn(string_view region, Rng& rng) {
  std::string inn(region);
  append_digits(inn, rng, 7);
  static constexpr int kWeights[] = {2, 4, 10, 3, 5, 9, 4, 6, 8};
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) sum += (inn[i] - '0') * kWeights[i];
  inn.push_back(static_cast<char>('0' + sum % 11 % 10));
  return inn;
}

// Chinese unified social credit code: 18 characters from the code's alphabet (no I, O, S, V, Z).
std::string chinese_uscc(Rng& rng) {
  static constexpr string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string id = "91";
  append_digits(id, rng, 6);
  for (int i = 0; i < 10; ++i) id.push_back(kAlphabet[rng.below(kAlphabet.size())]);
  return id;
}

std::string join(std::initializer_list<string_view> parts, string_view sep = " ") {
  std::string out;
  for (const auto p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out.append(sep);
    out.append(p);
  }
  return out;
}

// "Uralsnab": a stem and an ending that differ.
std::string russian_word(const Pair& stem, const Pair& ending, bool native) {
  std::string w(native ? stem.native : stem.latin);
  w.append(native ? ending.native : ending.latin);
  return w;
}

Company russian_style(string_view country, Rng& rng) {
  const bool belarus = country == "BY";
  const Pair& stem = belarus ? pick(kByStems, rng) : pick(kRuStems, rng);
  const Pair* ending = &pick(kRuEndings, rng);
  if (ending->latin == "prom" && stem.latin == "Prom") ending = &kRuEndings[0];
  const bool native = rng.chance(0.3);
  const std::string word = russian_word(stem, *ending, native);
  static constexpr Pair kRuForms[] = {{"OOO", "ООО"}, {"OOO", "ООО"}, {"OOO", "ООО"}, {"AO", "АО"}};
  static constexpr Pair kByForms[] = {{"OOO", "ООО"}, {"OAO", "ОАО"}, {"ChUP", "ЧУП"}};
  const Pair& form = belarus ? pick(kByForms, rng) : pick(kRuForms, rng);
  Company c;
  if (native) {
    c.name = join({form.native, "«" + word + "»"});
  } else if (rng.chance(0.5)) {
    c.name = join({form.latin, "\"" + word + "\""});
  } else {
    c.name = join({form.latin, word});
  }
  if (belarus) {
    const City& city = pick(kByCities, rng);
    c.registration_id = std::string(city.code);
    append_digits(c.registration_id, rng, 8);
    c.address = std::string(city.name) + ", Belarus";
  } else {
    const City& city = pick(kRuCities, rng);
    c.registration_id = russian_inn(city.code, rng);
    c.address = std::string(city.name) + ", Russia";
  }
  return c;
}

Company chinese(Rng& rng) {
  const Pair& place = pick(kCnPlaces, rng);
  const Pair& brand = pick(kCnBrands, rng);
  const Pair& trade = pick(kCnTrades, rng);
  const bool trading = trade.latin != "Import and Export" && rng.chance(0.7);
  Company c;
  if (rng.chance(0.2)) {
    c.name = std::string(place.native).append(brand.native).append(trade.native).append(trading ? "贸易有限公司" : "有限公司");
  } else {
    c.name = join({place.latin, brand.latin, trade.latin, trading ? "Trading Co., Ltd" : "Co., Ltd"});
  }
  c.registration_id = chinese_uscc(rng);
  c.address = std::string(place.latin) + ", China";
  return c;
}

Company hong_kong(Rng& rng) {
  Company c;
  if (rng.chance(0.15)) {
    const Pair& brand = pick(kCnBrands, rng);
    const Pair& trade = pick(kCnTrades, rng);
    c.name = std::string(brand.native).append("(香港)").append(trade.native).append("有限公司");
  } else {
    c.name = join({pick(kHkWords, rng), pick(kHkTrades, rng), pick(kHkForms, rng)});
  }
  append_digits(c.registration_id, rng, 7 + static_cast<int>(rng.below(2)));
  c.address = std::string(pick(kHkDistricts, rng)) + ", Hong Kong";
  return c;
}

Company kazakh(Rng& rng) {
  const Pair& word = pick(kKzWords, rng);
  const Pair& ending = pick(kKzEndings, rng);
  Company c;
  if (rng.chance(0.2)) {
    c.name = join({"ТОО", "«" + join({word.native, ending.native}) + "»"});
  } else {
    c.name = join({"TOO", "\"" + join({word.latin, ending.latin}) + "\""});
  }
  // BIN: year and month of registration, "40" for a resident legal entity, six more digits.
  const auto yy = rng.between(5, 24), mm = rng.between(1, 12);
  c.registration_id.push_back(static_cast<char>('0' + yy / 10));
  c.registration_id.push_back(static_cast<char>('0' + yy % 10));
  c.registration_id.push_back(static_cast<char>('0' + mm / 10));
  c.registration_id.push_back(static_cast<char>('0' + mm % 10));
  c.registration_id.append("40");
  append_digits(c.registration_id, rng, 6);
  c.address = std::string(pick(kKzCities, rng)) + ", Kazakhstan";
  return c;
}

Company indian(Rng& rng) {
  Company c;
  c.name = join({pick(kInWords, rng), pick(kInTrades, rng), pick(kInForms, rng)});
  // Corporate identity number: U, industry code, state, year, PTC, serial.
  const City& city = pick(kInCities, rng);
  c.registration_id = "U";
  append_digits(c.registration_id, rng, 5);
  c.registration_id.append(city.code);
  c.registration_id.append(std::to_string(rng.between(1995, 2023)));
  c.registration_id.append("PTC");
  append_digits(c.registration_id, rng, 6);
  c.address = std::string(city.name) + ", India";
  return c;
}

// Name parts and address are passed in already drawn: the order in which function arguments are evaluated is
// unspecified, and draws must happen in one order everywhere for the output to be the same everywhere.
Company simple(Rng& rng, std::string name, string_view address, int id_digits) {
  Company c;
  c.name = std::move(name);
  append_digits(c.registration_id, rng, id_digits);
  c.address = std::string(address);
  return c;
}

}  // namespace

std::string_view group_name(Group g) {
  static constexpr string_view kNames[] = {"ENERGY", "CHPL", "AIRCRAFT", "MACHINERY", "CARS", "FISH_SEAFOOD", "PORK",
                                           "DAIRY", "SOYBEANS", "CONFECTIONERY", "FURNITURE", "FERTILISER", "TIMBER"};
  return kNames[static_cast<std::size_t>(g)];
}

std::span<const Good> goods() { return kGoods; }

const Good& pick_good(Group group, Rng& rng) {
  // Per group: the indexes of its goods and their weights, built once.
  struct Index {
    std::vector<std::size_t> goods;
    std::vector<std::uint32_t> weights;
  };
  static const auto kIndex = [] {
    std::array<Index, kGroupCount> index;
    for (std::size_t i = 0; i < std::size(kGoods); ++i) {
      auto& slot = index[static_cast<std::size_t>(kGoods[i].group)];
      slot.goods.push_back(i);
      slot.weights.push_back(kGoods[i].weight);
    }
    return index;
  }();
  const Index& slot = kIndex[static_cast<std::size_t>(group)];
  return kGoods[slot.goods[rng.weighted(slot.weights)]];
}

std::span<const Corridor> corridors() { return kCorridors; }

std::int64_t usd_rate_e4(std::string_view currency) {
  for (const auto& r : kRates) {
    if (r.code == currency) return r.per_usd_e4;
  }
  return 10'000;
}

std::span<const BankInfo> banks(std::string_view country) {
  // kBanks is grouped by country: find the contiguous run.
  std::size_t first = std::size(kBanks), last = 0;
  for (std::size_t i = 0; i < std::size(kBanks); ++i) {
    if (kBanks[i].country != country) continue;
    if (first == std::size(kBanks)) first = i;
    last = i + 1;
    if (i + 1 < std::size(kBanks) && kBanks[i + 1].country != country) break;
  }
  if (first == std::size(kBanks)) return {};
  return std::span<const BankInfo>(kBanks).subspan(first, last - first);
}

Company company(std::string_view country, Rng& rng) {
  if (country == "RU" || country == "BY") return russian_style(country, rng);
  if (country == "CN") return chinese(rng);
  if (country == "HK") return hong_kong(rng);
  if (country == "KZ") return kazakh(rng);
  if (country == "IN") return indian(rng);
  // Braced lists are evaluated left to right, so each join below draws its words in a fixed order.
  if (country == "TR") {
    std::string name = join({pick(kTrWords, rng), pick(kTrTrades, rng), pick(kTrForms, rng)});
    const std::string address = std::string(pick(kTrCities, rng)) + ", Turkey";
    return simple(rng, std::move(name), address, 10);
  }
  if (country == "AE") {
    std::string name = join({pick(kAeWords, rng), pick(kAeTrades, rng), pick(kAeForms, rng)});
    const std::string address = std::string(pick(kAeAddresses, rng)) + ", UAE";
    Company c = simple(rng, std::move(name), address, 12);
    c.registration_id.insert(0, "100");  // Tax registration number: 15 digits starting 100.
    return c;
  }
  if (country == "DE") {
    const bool hyphen = rng.chance(0.3);
    const std::string word = join({pick(kDeWords, rng), pick(kDeTrades, rng)}, hyphen ? "-" : " ");
    std::string name = join({word, pick(kDeForms, rng)});
    const std::string address = std::string(pick(kDeCities, rng)) + ", Germany";
    const int digits = 5 + static_cast<int>(rng.below(2));
    Company c = simple(rng, std::move(name), address, digits);
    c.registration_id.insert(0, "HRB ");
    return c;
  }
  if (country == "KG") {
    std::string name = join({"OsOO", "\"" + join({pick(kKgWords, rng), pick(kSmallTrades, rng)}) + "\""});
    const string_view address = rng.chance(0.7) ? "Bishkek, Kyrgyzstan" : "Osh, Kyrgyzstan";
    return simple(rng, std::move(name), address, 14);
  }
  if (country == "AM") {
    std::string name = join({pick(kAmWords, rng), pick(kSmallTrades, rng), "LLC"});
    const string_view address = rng.chance(0.8) ? "Yerevan, Armenia" : "Gyumri, Armenia";
    return simple(rng, std::move(name), address, 8);
  }
  if (country == "GE") {
    std::string name = join({pick(kGeWords, rng), pick(kSmallTrades, rng)});
    name.append(rng.chance(0.5) ? " LLC" : " Ltd");
    const string_view address = rng.chance(0.6) ? "Tbilisi, Georgia" : "Poti, Georgia";
    return simple(rng, std::move(name), address, 9);
  }
  std::string name = join({pick(kGenericWords, rng), pick(kSmallTrades, rng), "LLC"});
  return simple(rng, std::move(name), "", 9);
}

std::string vessel_name(Rng& rng) { return join({pick(kVesselFirst, rng), pick(kVesselSecond, rng)}); }

std::string_view vessel_flag(Rng& rng) { return kFlags[rng.weighted(kFlagWeights)]; }

char imo_check_digit(std::string_view six_digits) {
  int sum = 0;
  for (std::size_t i = 0; i < 6; ++i) sum += (six_digits[i] - '0') * static_cast<int>(7 - i);
  return static_cast<char>('0' + sum % 10);
}

}  // namespace sm::generate::catalog
