#include "screen/indexed_screener.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_set>

#include "model/hash.h"
#include "screen/best_names.h"
#include "screen/identifier_parser.h"
#include "screen/list_loader.h"
#include "screen/name_normaliser.h"
#include "screen/name_scorer.h"
#include "screen/token_similarity.h"

namespace sm::screen {
namespace {

constexpr double kMinVariantSimilarity = 0.75;  // A vocabulary token this close to a query token is a lead.
constexpr std::size_t kCandidates = 24;         // Names scored in full per query.
constexpr std::size_t kLeadsPerToken = 4;       // Listed spellings of one query token that open postings.
constexpr std::uint32_t kBroadTokenDf = 800;   // Postings longer than this only rank existing candidates.
// Rank values are float sums of lead values: n additions round by at most n * 2^-24 of the total each; this
// factor (over 16 times that) times n times the total bounds their error.
constexpr double kRankSumSlack = 1e-6;
// The query's tokens must together say enough (IDF weights, 0..1 each) before any name can match: a lone
// "TRADING" or "BANK" identifies no one.
constexpr double kMinQueryInformation = 0.65;
constexpr double kInitialWeight = 0.1;
constexpr double kGenericQueryWeight = 0.3;  // As NameIndex weighs generic words.

// How plausible an entry type is for what is being screened.
double kind_factor(SubjectKind kind, EntryType type) {
  switch (kind) {
    case SubjectKind::kVessel:
      return type == EntryType::kVessel ? 1.0 : type == EntryType::kPerson ? 0.8 : 0.9;
    case SubjectKind::kBank:
      return (type == EntryType::kOrganisation || type == EntryType::kUnknown) ? 1.0 : 0.8;
    case SubjectKind::kParty:
      return (type == EntryType::kVessel || type == EntryType::kAircraft) ? 0.95 : 1.0;
  }
  return 1.0;
}

// Per-thread accumulators for candidate ranking, reused across queries.
struct Scratch {
  struct QueryToken {
    std::string key;
    std::uint32_t listed = NameIndex::kNotListed;  // The token's vocabulary id, from prefetch_variants().
    double weight = 0.0;
    std::vector<NameIndex::Variant> variants;
    LetterCounts letters;
  };
  struct Lead {
    std::uint32_t token;
    float value;
    std::uint32_t df;
  };
  // Rank values of the names found in this query (acc), and which names are found (one bit each: the walks
  // that only rank names already found test a few KiB that stay in the nearest cache, not the rank values).
  std::vector<float> acc_;
  std::vector<std::uint64_t> found_;
  std::vector<std::uint32_t> touched;
  TokenPairCache pairs;
  // Per-query working sets, kept for their capacity.
  std::vector<WeightedToken> query_tokens;
  std::vector<WeightedToken> entry_tokens;
  std::vector<double> remaining;
  std::vector<QueryToken> query;
  std::vector<Lead> leads;

  void start(std::size_t names) {
    if (acc_.size() < names) acc_.resize(names);
    found_.assign((names + 63) / 64, 0);
    touched.clear();
  }
  bool found(std::uint32_t name) const { return ((found_[name >> 6] >> (name & 63U)) & 1U) != 0U; }
  void add(std::uint32_t name, float v) {
    std::uint64_t& word = found_[name >> 6];
    const std::uint64_t bit = std::uint64_t{1} << (name & 63U);
    if ((word & bit) == 0U) {
      word |= bit;
      acc_[name] = v;
      touched.push_back(name);
    } else {
      acc_[name] += v;
    }
  }
  void raise(std::uint32_t name, float v) { acc_[name] += v; }  // A name already found.
  float acc(std::uint32_t name) const { return acc_[name]; }
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

}  // namespace

IndexedScreener::IndexedScreener(ScreenConfig config, std::vector<ListedEntry> entries,
                                 std::vector<ListLoadSummary> summaries, std::string version, Options options)
    : config_(std::move(config)), options_(options), summaries_(std::move(summaries)), version_(std::move(version)) {
  entries_.reserve(entries.size());
  entry_list_.reserve(entries.size());
  for (auto& e : entries) {
    entries_.push_back(std::move(e.entry));
    entry_list_.push_back(e.list);
  }
  index_.build(entries_, kMinVariantSimilarity);
  scored_tokens_.reserve(index_.token_count());
  for (std::uint32_t id = 0; id < index_.token_count(); ++id) {
    scored_tokens_.push_back({index_.token_text(id), index_.key_text(id),
                              index_.token(id).size() == 1 ? kInitialWeight : index_.weight(id), id, index_.letters(id)});
  }
  for (std::uint32_t e = 0; e < entries_.size(); ++e) {
    const auto& ids = entries_[e].identifiers;
    for (std::uint32_t i = 0; i < ids.size(); ++i) {
      const Identifier& id = ids[i];
      switch (id.kind) {
        case IdentifierKind::kBic: bic_[id.value.substr(0, 8)].push_back({e, i}); break;
        case IdentifierKind::kImo: imo_[id.value].push_back({e, i}); break;
        case IdentifierKind::kRegistration: registration_[id.value].push_back({e, i}); break;
      }
    }
  }
}

Match IndexedScreener::make_match(std::uint32_t entry, double score, std::string matched_on) const {
  const ListEntry& e = entries_[entry];
  Match m;
  m.list_id = config_.lists[entry_list_[entry]].id;
  m.entry_id = e.id;
  m.entry_name = e.names.empty() ? std::string() : e.names.front().text;
  m.source = e.source;
  m.programs = e.programs;
  m.score = score;
  m.matched_on = std::move(matched_on);
  m.secondary_sanctions_risk = e.secondary_sanctions_risk;
  m.entry_index = entry;
  return m;
}

void IndexedScreener::find_identifiers(const Query& query, std::unordered_map<std::uint32_t, Match>& found) const {
  auto take = [&](std::uint32_t entry, const std::string& how) {
    if (found.count(entry) == 0U) found.emplace(entry, make_match(entry, 1.0, how));
  };
  if (const std::string bic = canonical_bic(query.bic); !bic.empty()) {
    if (const auto it = bic_.find(bic.substr(0, 8)); it != bic_.end()) {
      for (const IdRef& ref : it->second) {
        const std::string& listed = entries_[ref.entry].identifiers[ref.identifier].value;
        // Branch codes differ only when both sides name a branch; an 8-character BIC is the whole institution.
        if (bic.size() == 11 && listed.size() == 11 && bic != listed) continue;
        take(ref.entry, "bic:" + listed);
      }
    }
  }
  if (const std::string imo = canonical_imo(query.imo); !imo.empty()) {
    if (const auto it = imo_.find(imo); it != imo_.end()) {
      for (const IdRef& ref : it->second) take(ref.entry, "imo:" + imo);
    }
  }
  if (const std::string reg = canonical_registration(query.registration_id); !reg.empty()) {
    if (const auto it = registration_.find(reg); it != registration_.end()) {
      for (const IdRef& ref : it->second) {
        const Identifier& id = entries_[ref.entry].identifiers[ref.identifier];
        // The same number issued by two countries is two identities; unknown on either side is allowed.
        if (!query.country.empty() && !id.country.empty() && query.country != id.country) continue;
        take(ref.entry, "id:" + reg);
      }
    }
  }
}

void IndexedScreener::find_names(const Query& query, double min_score,
                                 std::unordered_map<std::uint32_t, Match>& found) const {
  const NormalisedName q = normalise_name(query.name);
  if (q.tokens.empty() || q.only_legal_forms) return;

  Scratch& s = scratch();
  std::vector<Scratch::QueryToken>& qt = s.query;
  if (qt.size() < q.tokens.size()) qt.resize(q.tokens.size());  // Never shrunk: entries keep their capacity.
  // The look-ups of all tokens are asked for at once, step by step (they wait on memory; see
  // NameIndex::prefetch_variants).
  for (std::size_t i = 0; i < q.tokens.size(); ++i) {
    qt[i].key = phonetic_key(q.tokens[i]);
    index_.prefetch_spelling(q.tokens[i]);
  }
  for (std::size_t i = 0; i < q.tokens.size(); ++i) qt[i].listed = index_.prefetch_variants(q.tokens[i], qt[i].key);
  double information = 0.0;
  for (std::size_t i = 0; i < q.tokens.size(); ++i) {
    const std::string& t = q.tokens[i];
    if (t.size() == 1) {
      qt[i].weight = kInitialWeight;
      index_.variants(t, qt[i].key, 1.0, qt[i].listed, qt[i].variants);
      continue;
    }
    index_.variants(t, qt[i].key, kMinVariantSimilarity, qt[i].listed, qt[i].variants);
    for (const auto& v : qt[i].variants) index_.prefetch_postings(v.token);
    // Weight: the token's own rarity when listed, else that of its closest listed variant (a typo of a
    // common word is still common), else as rare as can be.
    double w = index_.unseen_weight();
    double best = 0.0;
    for (const auto& v : qt[i].variants) {
      if (v.similarity > best) {
        best = v.similarity;
        w = index_.weight(v.token);
      }
    }
    if (is_generic_word(t)) w = std::min(w, kGenericQueryWeight);
    qt[i].weight = w;
    information += w;
  }
  if (information < kMinQueryInformation) return;  // Two generic words (0.3 each) are not enough.

  // Rank names by the weighted overlap of their tokens with the query's variants, rare tokens first so that
  // broad ones can be restricted to ranking what the rare ones found.
  s.start(index_.names().size());
  using Lead = Scratch::Lead;
  std::vector<Lead>& leads = s.leads;
  leads.clear();
  for (std::size_t i = 0; i < q.tokens.size(); ++i) {
    auto& t = qt[i];
    // Candidates come from each query token's closest few listed spellings; the scorer compares in full.
    std::sort(t.variants.begin(), t.variants.end(), [](const NameIndex::Variant& a, const NameIndex::Variant& b) {
      return a.similarity != b.similarity ? a.similarity > b.similarity : a.token < b.token;
    });
    for (std::size_t k = 0; k < t.variants.size() && k < kLeadsPerToken; ++k) {
      const auto& v = t.variants[k];
      leads.push_back(Lead{v.token, static_cast<float>(t.weight * v.similarity), index_.df(v.token)});
    }
  }
  std::sort(leads.begin(), leads.end(), [](const Lead& a, const Lead& b) { return a.df != b.df ? a.df < b.df : a.token < b.token; });
  // Each lead's postings lie elsewhere: ask for the start of all of them before walking the first.
  for (const Lead& lead : leads) {
    const auto& postings = index_.postings(lead.token);
    __builtin_prefetch(postings.data());
    if (postings.size() > 16) __builtin_prefetch(postings.data() + 16);
  }
  // Admission cut-off. A name first met at lead k can gain at most the values of leads k.. (each lead adds its
  // value once to each name in its postings, and values are not negative), so its final rank value is at most
  // remaining[k]. Rank values only grow, so the kCandidates-th largest among the names found so far is at most
  // the kCandidates-th largest at the end. When remaining[k] is below it (by more than float rounding of the
  // sums), no name first met at lead k or later can be among the kCandidates kept: from there on leads only
  // rank the names already found, and the names kept, their rank values and so every result are the same as
  // without the cut-off (ScreenCandidatePruningTest compares the two over the labelled data).
  std::vector<double>& remaining = s.remaining;
  remaining.assign(leads.size() + 1, 0.0);
  for (std::size_t k = leads.size(); k-- > 0;) remaining[k] = remaining[k + 1] + leads[k].value;
  bool admitting = true;
  const double slack = kRankSumSlack * static_cast<double>(leads.size() + 1) * (remaining[0] + 1.0);
  // The check need not be made when it cannot stop admission. Since the last check, every name found then
  // gained at most the values of the leads walked since (`gained`), and a name found since has at most that
  // much, so the kCandidates-th rank value is at most its value at that check plus `gained` (plus the
  // rounding that `slack` bounds). While remaining[k] is not below that, the check would keep admitting.
  double last_checked = -1.0;  // The kCandidates-th rank value at the last check; negative before the first.
  double gained = 0.0;
  for (std::size_t k = 0; k < leads.size(); ++k) {
    const Lead& lead = leads[k];
    const auto& postings = index_.postings(lead.token);  // Sorted by name id.
    // The check costs a pass over the names found; it is made when walking these postings would cost as much.
    if (admitting && options_.prune_candidates && s.touched.size() >= kCandidates && postings.size() * 8 >= s.touched.size() &&
        (last_checked < 0.0 || remaining[k] < last_checked + gained + 2.0 * slack)) {
      BestNames best(kCandidates);
      for (const std::uint32_t name : s.touched) best.offer(s.acc(name), name);
      const double kth = best.last_value();  // The kCandidates-th largest rank value.
      admitting = !(remaining[k] + slack < kth);
      if (!admitting) cutoffs_.fetch_add(1, std::memory_order_relaxed);
      last_checked = kth;
      gained = 0.0;
    }
    gained += lead.value;
    if (!admitting || (lead.df > kBroadTokenDf && !s.touched.empty())) {
      // A broad token only ranks what rarer tokens found: look each candidate up in its postings, or walk the
      // postings when there are more candidates than that would pay for.
      if (s.touched.size() * 16 < postings.size()) {
        for (const std::uint32_t name : s.touched) {
          if (std::binary_search(postings.begin(), postings.end(), name)) s.raise(name, lead.value);
        }
      } else {
        for (const std::uint32_t name : postings) {
          if (s.found(name)) s.raise(name, lead.value);
        }
      }
      continue;
    }
    for (const std::uint32_t name : postings) s.add(name, lead.value);
  }
  // The kCandidates best under a strict total order (ties by id): the partial sort's result, in one pass over
  // the thousands of names a long query can find, most of them turned away by one comparison.
  BestNames best(kCandidates);
  for (const std::uint32_t name : s.touched) best.offer(s.acc(name), name);
  std::vector<std::uint32_t>& cand = s.touched;
  cand.clear();
  for (const RankedName& r : best.best()) cand.push_back(r.name);

  s.pairs.start(index_.token_count());
  std::vector<WeightedToken>& query_tokens = s.query_tokens;
  query_tokens.clear();
  for (std::size_t i = 0; i < q.tokens.size(); ++i) {
    const bool counted = letter_counts(q.tokens[i], qt[i].letters);
    // Its vocabulary id when listed as written (a variant of similarity 1 is the token itself): the scorer
    // then tells equal tokens by id.
    std::uint32_t id = WeightedToken::kNoId;
    for (const auto& v : qt[i].variants) {
      if (v.similarity == 1.0) id = v.token;
    }
    query_tokens.push_back({q.tokens[i], qt[i].key, qt[i].weight, id, counted ? &qt[i].letters : nullptr});
  }
  const std::string query_text = q.text();
  std::vector<WeightedToken>& entry_tokens = s.entry_tokens;
  // The candidates' records are scattered over the index: ask for all of them at once rather than one miss at
  // a time.
  // So are their token ids and tokens: each step asks for all candidates' lines before the next needs them.
  for (const std::uint32_t name_id : cand) __builtin_prefetch(&index_.names()[name_id]);
  for (const std::uint32_t name_id : cand) __builtin_prefetch(index_.token_ids(index_.names()[name_id]));
  for (const std::uint32_t name_id : cand) {
    const NameIndex::Name& n = index_.names()[name_id];
    const std::uint32_t* ids = index_.token_ids(n);
    for (std::size_t k = 0; k < n.token_count && k < 16; ++k) __builtin_prefetch(&scored_tokens_[ids[k]]);
  }
  for (const std::uint32_t name_id : cand) {  // And what those point to: spellings and letter counts.
    const NameIndex::Name& n = index_.names()[name_id];
    const std::uint32_t* ids = index_.token_ids(n);
    for (std::size_t k = 0; k < n.token_count && k < 16; ++k) {
      const WeightedToken& t = scored_tokens_[ids[k]];
      __builtin_prefetch(t.text.data());
      __builtin_prefetch(t.letters);
    }
  }
  for (const std::uint32_t name_id : cand) {
    const NameIndex::Name& n = index_.names()[name_id];
    const double factor = kind_factor(query.kind, n.type);
    if (factor < min_score) continue;
    entry_tokens.clear();
    const std::uint32_t* ids = index_.token_ids(n);
    for (std::size_t k = 0; k < n.token_count; ++k) entry_tokens.push_back(scored_tokens_[ids[k]]);
    const bool initials = n.type == EntryType::kPerson || n.type == EntryType::kUnknown;
    const double score = score_names(query_tokens, entry_tokens, initials, nullptr, &s.pairs, min_score / factor) * factor;
    if (score < min_score) continue;
    const ListEntry& entry = entries_[n.entry];
    auto it = found.find(n.entry);
    if (it != found.end() && it->second.score >= score) continue;
    Match m = make_match(n.entry, score, "name:" + entry.names[n.name_no].text);
    m.query_normalised = query_text;
    m.entry_normalised = n.normalised;
    if (it == found.end()) found.emplace(n.entry, std::move(m));
    else it->second = std::move(m);
  }
}

namespace {

bool ranks_before(const Match& a, const Match& b) {
  return a.score != b.score ? a.score > b.score : a.entry_index < b.entry_index;
}

std::vector<Match> ranked(std::unordered_map<std::uint32_t, Match>& found, std::size_t limit) {
  std::vector<Match> out;
  out.reserve(found.size());
  for (auto& [entry, m] : found) out.push_back(std::move(m));
  std::sort(out.begin(), out.end(), ranks_before);
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace

std::vector<Match> merge_matches(std::vector<Match> identifier_matches, const std::vector<Match>& name_matches,
                                 std::size_t limit) {
  std::vector<Match> out = std::move(identifier_matches);
  const std::size_t identified = out.size();
  for (const Match& m : name_matches) {
    // An identifier match (score 1.0) is the stronger evidence for its entry; the name adds nothing.
    const auto same_entry = [&](const Match& id) { return id.entry_index == m.entry_index; };
    if (std::none_of(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(identified), same_entry)) out.push_back(m);
  }
  std::sort(out.begin(), out.end(), ranks_before);
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<Match> IndexedScreener::match_names(const Query& query, double min_score, std::size_t limit) const {
  std::unordered_map<std::uint32_t, Match> found;
  if (!query.name.empty()) find_names(query, min_score, found);
  // Truncating here loses nothing merge_matches() would keep: a name match it ranks within `limit` is outranked
  // by fewer than `limit` name matches.
  return ranked(found, limit);
}

std::vector<Match> IndexedScreener::match_identifiers(const Query& query) const {
  std::unordered_map<std::uint32_t, Match> found;
  find_identifiers(query, found);
  return ranked(found, found.size());
}

std::vector<Match> IndexedScreener::screen(const Query& query, double min_score, std::size_t limit) const {
  return merge_matches(match_identifiers(query), match_names(query, min_score, limit), limit);
}

std::vector<std::string> IndexedScreener::entry_names(const std::vector<std::string>& programs, std::size_t limit) const {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const ListEntry& e : entries_) {
    if (out.size() >= limit) break;
    if (e.names.empty()) continue;
    const bool wanted = programs.empty() || std::any_of(e.programs.begin(), e.programs.end(), [&](const std::string& p) {
                          return std::find(programs.begin(), programs.end(), p) != programs.end();
                        });
    if (wanted && seen.insert(e.names.front().text).second) out.push_back(e.names.front().text);
  }
  return out;
}

Result<std::shared_ptr<const Screener>> Screener::load(const ScreenConfig& config) {
  if (config.lists.empty()) return make_error("no_lists", "no sanctions lists configured");
  std::vector<IndexedScreener::ListedEntry> entries;
  std::vector<ListLoadSummary> summaries;
  Fnv1a64 version;
  for (std::size_t i = 0; i < config.lists.size(); ++i) {
    auto loaded = load_list(config.lists[i]);
    if (!loaded) return loaded.error();
    version.update(loaded->content);
    loaded->content = std::string();
    for (auto& e : loaded->entries) entries.push_back({std::move(e), static_cast<std::uint16_t>(i)});
    summaries.push_back(std::move(loaded->summary));
  }
  try {
    return std::shared_ptr<const Screener>(
        std::make_shared<IndexedScreener>(config, std::move(entries), std::move(summaries), version.hex()));
  } catch (const std::exception& e) {  // Allocation failure while indexing: an error, not a crash.
    return make_error("index_failed", std::string("cannot index the sanctions lists: ") + e.what());
  }
}

void IndexedScreener::for_each_entry(const std::function<void(const std::string&, const ListEntry&)>& visit) const {
  for (std::size_t e = 0; e < entries_.size(); ++e) visit(config_.lists[entry_list_[e]].id, entries_[e]);
}

}  // namespace sm::screen
