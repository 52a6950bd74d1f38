#include "linkage/text.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kith::linkage {
namespace {

// Latin-1 Supplement and Latin Extended-A letters, U+00C0..U+017F, folded to ASCII. Each entry
// is the base letter(s); "" means drop. Built from the Unicode names of the characters.
// clang-format off
constexpr std::array<const char*, 192> kLatinFold = {
    // U+00C0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // U+00D0
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "ss",
    // U+00E0
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    // U+00F0
    "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "th", "y",
    // U+0100
    "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
    // U+0110
    "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
    // U+0120
    "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
    // U+0130
    "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
    // U+0140
    "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
    // U+0150
    "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
    // U+0160
    "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
    // U+0170
    "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
};
// clang-format on

// Decodes one UTF-8 code point at text[*i], advancing *i. Invalid bytes decode to U+FFFD.
uint32_t NextCodePoint(std::string_view text, size_t* i) {
  const auto b0 = static_cast<uint8_t>(text[*i]);
  int extra = 0;
  uint32_t cp = 0xFFFD;
  if (b0 < 0x80) {
    cp = b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    extra = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3;
    cp = b0 & 0x07;
  }
  ++*i;
  for (int k = 0; k < extra; ++k) {
    if (*i >= text.size() || (static_cast<uint8_t>(text[*i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<uint8_t>(text[*i]) & 0x3F);
    ++*i;
  }
  return cp;
}

std::string Fold(std::string_view utf8, bool keep_digits) {
  std::string out;
  out.reserve(utf8.size());
  bool pending_space = false;
  // In names, letters glued to digits are an ordinal ("1st", "2nd baron"), not a name word.
  bool after_digit = false;
  auto append = [&](std::string_view letters) {
    if (!keep_digits && after_digit) return;
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.append(letters);
  };
  for (size_t i = 0; i < utf8.size();) {
    const uint32_t cp = NextCodePoint(utf8, &i);
    const bool letter = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0x17F) ||
                        cp == '\'' || cp == 0x2019 || cp == 0x60;
    if (!letter) after_digit = cp >= '0' && cp <= '9';
    if (cp >= 'a' && cp <= 'z') {
      const char c = static_cast<char>(cp);
      append(std::string_view(&c, 1));
    } else if (cp >= 'A' && cp <= 'Z') {
      const char c = static_cast<char>(cp - 'A' + 'a');
      append(std::string_view(&c, 1));
    } else if (keep_digits && cp >= '0' && cp <= '9') {
      const char c = static_cast<char>(cp);
      append(std::string_view(&c, 1));
    } else if (cp == '\'' || cp == 0x2019 || cp == 0x60) {
      // Apostrophes join: O'Brien and OBrien are the same name.
    } else if (cp >= 0xC0 && cp <= 0x17F) {
      append(kLatinFold[cp - 0xC0]);
    } else if (cp < 0x80) {
      pending_space = true;
    }
  }
  return out;
}

// Nickname, short form, spelling and transliteration variants → one canonical name. Sorted by
// variant for binary search (checked once at first use). Ambiguous short forms (harry, sam,
// alex, chris) go to the most common full name; the comparison also accepts a canonical that
// equals the other side's spelling.
constexpr std::pair<std::string_view, std::string_view> kGivenNameVariants[] = {
    {"abbie", "abigail"},
    {"abby", "abigail"},
    {"aisha", "aisha"},
    {"alasdair", "alistair"},
    {"alastair", "alistair"},
    {"alec", "alexander"},
    {"alex", "alexander"},
    {"alexandre", "alexander"},
    {"alf", "alfred"},
    {"alfie", "alfred"},
    {"ali", "ali"},
    {"allister", "alistair"},
    {"amie", "amy"},
    {"andy", "andrew"},
    {"anna", "ann"},
    {"anne", "ann"},
    {"annie", "ann"},
    {"archie", "archibald"},
    {"art", "arthur"},
    {"artie", "arthur"},
    {"ayesha", "aisha"},
    {"aysha", "aisha"},
    {"barrie", "barry"},
    {"becca", "rebecca"},
    {"becky", "rebecca"},
    {"bella", "isabella"},
    {"ben", "benjamin"},
    {"benji", "benjamin"},
    {"benny", "benjamin"},
    {"bernie", "bernard"},
    {"bert", "albert"},
    {"beth", "elizabeth"},
    {"betsy", "elizabeth"},
    {"betty", "elizabeth"},
    {"bill", "william"},
    {"billy", "william"},
    {"bob", "robert"},
    {"bobby", "robert"},
    {"catharine", "katherine"},
    {"catherine", "katherine"},
    {"cathy", "katherine"},
    {"charlie", "charles"},
    {"chas", "charles"},
    {"chris", "christopher"},
    {"chuck", "charles"},
    {"dai", "david"},
    {"dan", "daniel"},
    {"danny", "daniel"},
    {"dave", "david"},
    {"davey", "david"},
    {"davy", "david"},
    {"debbie", "deborah"},
    {"debra", "deborah"},
    {"dick", "richard"},
    {"don", "donald"},
    {"donny", "donald"},
    {"dot", "dorothy"},
    {"dottie", "dorothy"},
    {"drew", "andrew"},
    {"ebrahim", "ibrahim"},
    {"ed", "edward"},
    {"eddie", "edward"},
    {"eddy", "edward"},
    {"eliza", "elizabeth"},
    {"ellie", "eleanor"},
    {"elsie", "elizabeth"},
    {"ernie", "ernest"},
    {"evie", "evelyn"},
    {"fatimah", "fatima"},
    {"filip", "philip"},
    {"flo", "florence"},
    {"florrie", "florence"},
    {"fran", "francis"},
    {"frank", "francis"},
    {"fred", "frederick"},
    {"freddie", "frederick"},
    {"freddy", "frederick"},
    {"frederic", "frederick"},
    {"gabe", "gabriel"},
    {"geoff", "geoffrey"},
    {"gerry", "gerald"},
    {"gil", "gilbert"},
    {"greg", "gregory"},
    {"hal", "henry"},
    {"hank", "henry"},
    {"harry", "henry"},
    {"hattie", "harriet"},
    {"herbie", "herbert"},
    {"husain", "hussain"},
    {"hussein", "hussain"},
    {"isabel", "isabella"},
    {"isabelle", "isabella"},
    {"isobel", "isabella"},
    {"issy", "isabella"},
    {"izzy", "isabella"},
    {"jack", "john"},
    {"jackie", "jacqueline"},
    {"jake", "jacob"},
    {"jamie", "james"},
    {"jeff", "geoffrey"},
    {"jeffrey", "geoffrey"},
    {"jen", "jennifer"},
    {"jenny", "jennifer"},
    {"jerry", "gerald"},
    {"jim", "james"},
    {"jimmy", "james"},
    {"joe", "joseph"},
    {"joey", "joseph"},
    {"johnnie", "john"},
    {"johnny", "john"},
    {"jon", "jonathan"},
    {"jonny", "jonathan"},
    {"josh", "joshua"},
    {"kate", "katherine"},
    {"katharine", "katherine"},
    {"kathryn", "katherine"},
    {"kathy", "katherine"},
    {"katie", "katherine"},
    {"katy", "katherine"},
    {"ken", "kenneth"},
    {"kenny", "kenneth"},
    {"khadijah", "khadija"},
    {"kit", "christopher"},
    {"larry", "lawrence"},
    {"laurence", "lawrence"},
    {"len", "leonard"},
    {"lenny", "leonard"},
    {"lexi", "alexandra"},
    {"liam", "william"},
    {"libby", "elizabeth"},
    {"liz", "elizabeth"},
    {"lizzie", "elizabeth"},
    {"lizzy", "elizabeth"},
    {"maggie", "margaret"},
    {"maryam", "mariam"},
    {"matt", "matthew"},
    {"mattie", "matilda"},
    {"meg", "margaret"},
    {"mick", "michael"},
    {"mickey", "michael"},
    {"micky", "michael"},
    {"mike", "michael"},
    {"mikey", "michael"},
    {"millie", "amelia"},
    {"mo", "muhammad"},
    {"mohamad", "muhammad"},
    {"mohamed", "muhammad"},
    {"mohammad", "muhammad"},
    {"mohammed", "muhammad"},
    {"mohammod", "muhammad"},
    {"molly", "mary"},
    {"monty", "montague"},
    {"muhamed", "muhammad"},
    {"muhammed", "muhammad"},
    {"nat", "nathaniel"},
    {"nate", "nathaniel"},
    {"ned", "edward"},
    {"nell", "eleanor"},
    {"nick", "nicholas"},
    {"nicky", "nicholas"},
    {"nicolas", "nicholas"},
    {"ollie", "oliver"},
    {"olly", "oliver"},
    {"owain", "owen"},
    {"paddy", "patrick"},
    {"pat", "patrick"},
    {"peggy", "margaret"},
    {"percy", "percival"},
    {"pete", "peter"},
    {"phil", "philip"},
    {"phillip", "philip"},
    {"polly", "mary"},
    {"reg", "reginald"},
    {"reggie", "reginald"},
    {"rich", "richard"},
    {"richie", "richard"},
    {"rick", "richard"},
    {"ricky", "richard"},
    {"rob", "robert"},
    {"robbie", "robert"},
    {"ron", "ronald"},
    {"ronnie", "ronald"},
    {"sally", "sarah"},
    {"sam", "samuel"},
    {"sammy", "samuel"},
    {"sandy", "alexander"},
    {"sara", "sarah"},
    {"sol", "solomon"},
    {"sophia", "sofia"},
    {"stan", "stanley"},
    {"stephen", "steven"},
    {"steve", "steven"},
    {"sue", "susan"},
    {"susie", "susan"},
    {"ted", "edward"},
    {"teddy", "edward"},
    {"theo", "theodore"},
    {"tilly", "matilda"},
    {"tim", "timothy"},
    {"timmy", "timothy"},
    {"tom", "thomas"},
    {"tommy", "thomas"},
    {"tony", "anthony"},
    {"umar", "omar"},
    {"vicky", "victoria"},
    {"walt", "walter"},
    {"will", "william"},
    {"willie", "william"},
    {"willy", "william"},
    {"yousef", "yusuf"},
    {"yousuf", "yusuf"},
    {"yusef", "yusuf"},
    {"zach", "zachary"},
    {"zack", "zachary"},
    {"zainab", "zainab"},
    {"zaynab", "zainab"},
};

bool VariantsSorted() {
  return std::is_sorted(std::begin(kGivenNameVariants), std::end(kGivenNameVariants),
                        [](const auto& a, const auto& b) { return a.first < b.first; });
}

// Groups of one name's forms (see GivenNameGroupsOf in text.h); at most 128. A short form that
// belongs to several names is in each of their groups; the names themselves are not grouped
// together (Alfred and Frederick share Fred, not each other).
constexpr std::string_view kGivenNameGroups[] = {
    // Short forms of several names.
    "alfred alf alfie fred freddie freddy al",
    "wilfred wilfrid wilf fred freddie",
    "albert bert bertie al",
    "herbert herb bert bertie herbie",
    "robert bert bertie robbie robby bobbie bobbi rupert ruprecht roberto",
    "hubert bert",
    "gilbert bert gil",
    "edwin ed eddie eddy ned win",
    "edmund ed eddie ned ted",
    "theodore ted teddy teddie theo",
    "harold harry hal",
    "alan al",
    // Forms of a name in other languages, old abbreviations and further short forms.
    "john jean johannes johann jan juan giovanni hans ivan jock jno johnnie",
    "charles carl karl carlo carlos charley chas cha",
    "walter wally walt wat",
    "mary maria marie mamie mair maire",
    "margaret may maisie madge greta meg peggy",
    "william gwilym guillaume wilhelm guglielmo gulielmus willem wm",
    "henry harry hal hank hen heinrich henri enrico",
    "george geordie jerzy georg georges giorgio jorge geo",
    "paul paolo pablo pawel pavel paulo",
    "andrew andrzej andreas andre andi",
    "hugh huw hugo huey hughie",
    "david dafydd dewi dai davie",
    "edward iorwerth eduard eduardo edouard",
    "lewis louis louie lew ludwig luis luigi",
    "isaac ike",
    "frances fanny fannie francesca",
    "francis frank francesco francisco franz franciscus frans",
    "adelaide addie",
    "adeline addie",
    "augustus august gus gussie",
    "harriet henrietta hattie hetty hettie",
    "helen ellen nell nellie nelly",
    "eleanor elinor nell nellie nelly",
    "elizabeth bessie bess lisa elsa elspeth elise eliza",
    "emily emilie emilia emmie em millie milly",
    "horace horatio",
    "clement clem",
    "charlotte lottie lotte lotty carlotta",
    "richard ritchie richey ricki riccardo ricardo dickie",
    "alice alicia ally alix alys",
    "agnes nessie aggie ines inez nesta",
    "gertrude trudy trudie trudi gertie",
    "lavinia vinnie",
    "norman norrie",
    "howard howie",
    "eugene gene",
    "constance connie",
    "matthew matthias mathias mat matteo",
    "mark marcus marco marc",
    "cyril cy",
    "clara claire clare",
    "lilian lillian lil lily lilly",
    "louisa louise lou lula lulu",
    "llewellyn llewelyn llew",
    "meredith meredydd",
    "gavin gawain",
    "roland rowland orlando",
    "bernard barney bernhard",
    "janet jessie",
    "jessica jessie",
    "sarah sadie",
    "esther essie hester hettie hetty",
    "dorothy dora dorothea dolly",
    "theodora dora",
    "james jem jimmie jimi jacques jaime hamish seamus jas",
    "thomas tommie tomas thos tommaso",
    "emma emmie",
    "tobias toby",
    "bartholomew bart",
    "mortimer mort",
    "victor vic",
    "simon sim",
    "samuel sammie",
    "beatrice beatrix bea trixie",
    "lucy lucille lucia",
    "caroline carrie",
    "algernon algie algy",
    "christina tina",
    "michael mickie",
    "moses mo moshe",
    "maurice morris mo",
    "joseph giuseppe josef jose",
    "peter pierre pietro piotr",
    "stephen steven etienne stefan",
    "anthony antonio anton antoine",
    "philip philippe felipe filippo",
    "nicholas nicolas nikolai nicola",
};

std::vector<std::pair<std::string_view, GivenNameGroups>> BuildGivenNameGroups() {
  static_assert(std::size(kGivenNameGroups) <= 128);
  std::vector<std::pair<std::string_view, GivenNameGroups>> names;
  for (size_t g = 0; g < std::size(kGivenNameGroups); ++g) {
    ForEachToken(kGivenNameGroups[g], [&](std::string_view name) {
      GivenNameGroups bit;
      bit.bits[g / 64] = uint64_t{1} << (g % 64);
      names.emplace_back(name, bit);
    });
  }
  std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  // One entry per name, with the union of its groups.
  std::vector<std::pair<std::string_view, GivenNameGroups>> merged;
  for (const auto& [name, groups] : names) {
    if (merged.empty() || merged.back().first != name) {
      merged.emplace_back(name, groups);
    } else {
      merged.back().second.bits[0] |= groups.bits[0];
      merged.back().second.bits[1] |= groups.bits[1];
    }
  }
  return merged;
}

// Soundex-style digit classes; '0' marks letters that separate codes (vowels, h, w, y).
char PhoneticClass(char c) {
  switch (c) {
    case 'b':
    case 'f':
    case 'p':
    case 'v':
      return '1';
    case 'c':
    case 'g':
    case 'j':
    case 'k':
    case 'q':
    case 's':
    case 'x':
    case 'z':
      return '2';
    case 'd':
    case 't':
      return '3';
    case 'l':
      return '4';
    case 'm':
    case 'n':
      return '5';
    case 'r':
      return '6';
    default:
      return '0';
  }
}

// The first letter is itself replaced by a representative of its sound, so that initial
// spelling variants (C/K, PH/F, G/J before e/i, Y/I) do not split the code.
char FirstLetterSound(std::string_view s) {
  const char c = s[0];
  const char next = s.size() > 1 ? s[1] : '\0';
  switch (c) {
    case 'c':
      return (next == 'e' || next == 'i' || next == 'y') ? 's' : 'k';
    case 'q':
      return 'k';
    case 'z':
      return 's';
    case 'v':
      return 'f';
    case 'p':
      return next == 'h' ? 'f' : 'p';
    case 'g':
      return (next == 'e' || next == 'i' || next == 'y') ? 'j' : 'g';
    case 'y':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
      return 'a';
    case 'w':
      return next == 'r' ? 'r' : 'w';
    case 'k':
      return next == 'n' ? 'n' : 'k';
    default:
      return c;
  }
}

}  // namespace

std::string FoldName(std::string_view utf8) { return Fold(utf8, false); }
std::string FoldText(std::string_view utf8) { return Fold(utf8, true); }

std::string_view CanonicalGivenName(std::string_view folded) {
  static const bool sorted = VariantsSorted();
  if (!sorted) return folded;  // A table edit broke the order; fail safe without matching.
  const auto* end = std::end(kGivenNameVariants);
  const auto* it = std::lower_bound(std::begin(kGivenNameVariants), end, folded,
                                    [](const auto& e, std::string_view key) { return e.first < key; });
  if (it != end && it->first == folded) return it->second;
  return folded;
}

namespace {

struct KnownGivenName {
  std::string_view canonical;
  GivenNameGroups groups;
};

const std::unordered_map<std::string_view, KnownGivenName>& KnownGivenNames() {
  static const std::unordered_map<std::string_view, KnownGivenName> names = [] {
    std::unordered_map<std::string_view, KnownGivenName> out;
    for (const auto& [variant, canonical] : kGivenNameVariants) {
      out[variant].canonical = canonical;
      out[canonical].canonical = canonical;
    }
    for (const auto& [name, groups] : BuildGivenNameGroups()) {
      KnownGivenName& known = out[name];
      if (known.canonical.empty()) known.canonical = name;
      known.groups = groups;
    }
    return out;
  }();
  return names;
}

}  // namespace

bool IsKnownGivenName(std::string_view folded) { return KnownGivenNames().contains(folded); }

bool SameGivenName(std::string_view a, std::string_view b) {
  const auto& names = KnownGivenNames();
  const auto ia = names.find(a);
  if (ia == names.end()) return false;
  const auto ib = names.find(b);
  if (ib == names.end()) return false;
  return ia->second.canonical == ib->second.canonical || ia->second.groups.Meets(ib->second.groups);
}

std::string_view WithoutLeadingTitles(std::string_view folded) {
  static constexpr std::string_view kTitles[] = {
      "adm",        "admiral",     "archbishop", "baron",   "baroness",  "bishop",     "brig",        "brigadier",
      "brother",    "canon",       "capt",       "captain", "cardinal",  "cmdr",       "col",         "colonel",
      "commander",  "count",       "countess",   "cpl",     "dame",      "doctor",     "dr",          "duchess",
      "duke",       "earl",        "esq",        "father",  "fr",        "gen",        "general",     "hon",
      "honourable", "hrh",         "insp",       "lady",    "lieut",     "lieutenant", "lord",        "lt",
      "maj",        "marchioness", "marquess",   "marquis", "master",    "miss",       "mr",          "mrs",
      "ms",         "mx",          "pastor",     "prof",    "professor", "pte",        "rabbi",       "rev",
      "revd",       "reverend",    "right",      "rt",      "sergeant",  "serjeant",   "sgt",         "sir",
      "sister",     "supt",        "the",        "ven",     "venerable", "viscount",   "viscountess",
  };
  while (!folded.empty()) {
    const std::string_view first = folded.substr(0, folded.find(' '));
    if (std::find(std::begin(kTitles), std::end(kTitles), first) == std::end(kTitles)) break;
    folded.remove_prefix(std::min(folded.size(), first.size() + 1));
  }
  return folded;
}

GivenNameGroups GivenNameGroupsOf(std::string_view folded) {
  static const std::vector<std::pair<std::string_view, GivenNameGroups>> names = BuildGivenNameGroups();
  const auto it = std::lower_bound(names.begin(), names.end(), folded,
                                   [](const auto& e, std::string_view key) { return e.first < key; });
  return it != names.end() && it->first == folded ? it->second : GivenNameGroups{};
}

std::string PhoneticCode(std::string_view folded) {
  size_t start = 0;
  while (start < folded.size() && (folded[start] < 'a' || folded[start] > 'z')) ++start;
  if (start == folded.size()) return "";
  const std::string_view s = folded.substr(start);
  std::string code(1, FirstLetterSound(s));
  char last = PhoneticClass(s[0]);
  // "ph" at the start is one sound.
  size_t i = (s.size() > 1 && s[0] == 'p' && s[1] == 'h') ? 2 : 1;
  for (; i < s.size() && code.size() < 4; ++i) {
    const char c = s[i];
    if (c < 'a' || c > 'z') continue;  // multi-token names: code the letters only
    const char cls = PhoneticClass(c);
    if (cls == '0') {
      // h and w do not separate equal codes; vowels do.
      if (c != 'h' && c != 'w') last = '0';
      continue;
    }
    if (cls != last) code.push_back(cls);
    last = cls;
  }
  code.resize(4, '0');
  return code;
}

double JaroWinkler(std::string_view a, std::string_view b) {
  constexpr size_t kMax = 64;
  if (a.size() > kMax) a = a.substr(0, kMax);
  if (b.size() > kMax) b = b.substr(0, kMax);
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  const size_t window = std::max(a.size(), b.size()) / 2 > 0 ? std::max(a.size(), b.size()) / 2 - 1 : 0;
  bool a_used[kMax] = {};
  bool b_used[kMax] = {};
  size_t matches = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    const size_t lo = i > window ? i - window : 0;
    const size_t hi = std::min(i + window + 1, b.size());
    for (size_t j = lo; j < hi; ++j) {
      if (b_used[j] || a[i] != b[j]) continue;
      a_used[i] = b_used[j] = true;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  size_t transpositions = 0;
  for (size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!a_used[i]) continue;
    while (!b_used[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) +
                       (m - static_cast<double>(transpositions) / 2.0) / m) /
                      3.0;
  size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

bool WithinOneEdit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // equal, or b has one extra trailing character
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);  // adjacent transposition
  }
  return a.substr(i) == b.substr(i + 1);  // insertion into a
}

bool WithinTwoEdits(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 2 || b.size() > 64) return false;
  // Restricted Damerau–Levenshtein over a band of width 2 around the diagonal, three rows.
  constexpr int kFar = 3;
  int rows[3][66];
  int* prev2 = rows[0];
  int* prev = rows[1];
  int* cur = rows[2];
  const int m = static_cast<int>(a.size());
  const int n = static_cast<int>(b.size());
  for (int j = 0; j <= n; ++j) prev[j] = std::min(j, kFar);
  for (int i = 1; i <= m; ++i) {
    int row_min = kFar;
    for (int j = 0; j <= n; ++j) {
      if (j == 0) {
        cur[0] = std::min(i, kFar);
        row_min = std::min(row_min, cur[0]);
        continue;
      }
      if (j < i - 2 || j > i + 2) {
        cur[j] = kFar;
        continue;
      }
      int d = prev[j - 1] + (a[i - 1] != b[j - 1] ? 1 : 0);
      d = std::min(d, prev[j] + 1);
      d = std::min(d, cur[j - 1] + 1);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, prev2[j - 2] + 1);
      cur[j] = std::min(d, kFar);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min >= kFar) return false;
    int* t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[n] <= 2;
}

size_t HammingDistance(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return SIZE_MAX;
  size_t d = 0;
  for (size_t i = 0; i < a.size(); ++i) d += a[i] != b[i];
  return d;
}

bool ShareToken(std::string_view a, std::string_view b, size_t min_length) {
  bool found = false;
  ForEachToken(a, [&](std::string_view ta) {
    if (found || ta.size() < min_length) return;
    ForEachToken(b, [&](std::string_view tb) {
      if (!found && ta == tb) found = true;
    });
  });
  return found;
}

}  // namespace kith::linkage
