#include "ownership/ownership_graph.h"

#include <algorithm>
#include <array>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <sstream>

#include "model/csv_reader.h"
#include "screen/name_normaliser.h"

namespace sm::ownership {
namespace {

constexpr Decimal kHundred = Decimal::from_units(100);
constexpr Decimal kBlocking = Decimal::from_units(50);

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

// "51", "12.5", "25 %": the share in percent, exact; nullopt unless 0 < share <= 100.
std::optional<Decimal> parse_share(std::string_view text) {
  std::string s = trim(text);
  if (!s.empty() && s.back() == '%') s = trim(std::string_view(s).substr(0, s.size() - 1));
  const auto d = Decimal::parse(s);
  if (!d || *d <= Decimal() || *d > kHundred) return std::nullopt;
  return d;
}

struct InEdge {
  std::size_t owner;
  Decimal share;
};

struct Node {
  std::string name;  // As first written.
  std::optional<ListedRef> listed;
  std::vector<InEdge> owners;
  int round = -1;  // Fixed-point round in which the node became blocked; -1: not blocked.
};

std::string describe_listed(const Node& n) {
  return fmt::format("{} ({} {})", n.name, n.listed->list_id, n.listed->entry_id);
}

// The blocked owners of `n` that explain it: for a blocked node those blocked in an earlier round (which alone
// reach 50%, and whose own explanations cannot lead back here); otherwise every blocked owner.
std::vector<const InEdge*> explaining_owners(const std::vector<Node>& nodes, const Node& n) {
  std::vector<const InEdge*> out;
  for (const auto& e : n.owners) {
    const int r = nodes[e.owner].round;
    if (r >= 0 && (n.round < 0 || r < n.round)) out.push_back(&e);
  }
  return out;
}

std::string explain_terms(const std::vector<Node>& nodes, const Node& n);

std::string explain_owner(const std::vector<Node>& nodes, const Node& owner) {
  if (owner.listed) return describe_listed(owner);
  return fmt::format("{} [<- {}]", owner.name, explain_terms(nodes, owner));
}

std::string explain_terms(const std::vector<Node>& nodes, const Node& n) {
  std::string out;
  for (const InEdge* e : explaining_owners(nodes, n)) {
    if (!out.empty()) out += " + ";
    out += fmt::format("{}% {}", format_percent(e->share), explain_owner(nodes, nodes[e->owner]));
  }
  return out;
}

}  // namespace

std::string format_percent(Decimal share) {
  std::string s = share.to_string(Decimal::kScale);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string party_key(std::string_view name) {
  auto n = screen::normalise_name(name);
  if (n.tokens.empty()) n = screen::normalise_name(name, false);
  return n.text();
}

Result<OwnershipData> parse_ownership_csv(std::string_view text, const std::string& source) {
  static constexpr std::array<std::string_view, 6> kColumns = {"owner_name", "owned_name", "share_percent",
                                                               "owner_list_id", "owner_entry_id", "source"};
  OwnershipData data;
  CsvReader reader(text);
  std::vector<std::string> fields;
  std::string problem;
  std::array<int, kColumns.size()> col{};
  col.fill(-1);
  bool have_header = false;
  for (;;) {
    const auto status = reader.next(fields, problem);
    if (status == CsvReader::Status::kEnd) break;
    const std::string where = fmt::format("{}:{}", source, reader.line());
    if (status == CsvReader::Status::kMalformed) {
      if (!have_header) return make_error("bad_ownership", where + ": " + problem);
      ++data.rows_read;
      data.problems.push_back(where + ": " + problem);
      continue;
    }
    if (fields.size() == 1 && trim(fields[0]).empty()) continue;  // Blank line.
    if (!have_header) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string name = trim(fields[i]);
        const auto it = std::find(kColumns.begin(), kColumns.end(), name);
        if (it == kColumns.end()) return make_error("bad_ownership", where + ": unknown column \"" + name + "\"");
        col[static_cast<std::size_t>(it - kColumns.begin())] = static_cast<int>(i);
      }
      for (std::size_t c = 0; c < 3; ++c) {
        if (col[c] < 0) return make_error("bad_ownership", where + ": missing column " + std::string(kColumns[c]));
      }
      have_header = true;
      continue;
    }
    ++data.rows_read;
    auto get = [&](std::size_t c) { return col[c] < 0 || static_cast<std::size_t>(col[c]) >= fields.size()
                                              ? std::string() : trim(fields[static_cast<std::size_t>(col[c])]); };
    Holding h;
    h.owner = get(0);
    h.owned = get(1);
    const std::string share_text = get(2);
    h.owner_list_id = get(3);
    h.owner_entry_id = get(4);
    h.source = get(5).empty() ? where : get(5);
    const auto share = parse_share(share_text);
    if (h.owner.empty() || h.owned.empty()) {
      data.problems.push_back(where + ": owner_name and owned_name are required");
    } else if (!share) {
      data.problems.push_back(where + ": share_percent \"" + share_text + "\" is not a decimal in (0, 100]");
    } else if (h.owner_list_id.empty() != h.owner_entry_id.empty()) {
      data.problems.push_back(where + ": owner_list_id and owner_entry_id go together");
    } else if (party_key(h.owner) == party_key(h.owned)) {
      data.problems.push_back(where + ": \"" + h.owner + "\" cannot own itself");
    } else {
      h.share = *share;
      data.holdings.push_back(std::move(h));
    }
  }
  if (!have_header) return make_error("bad_ownership", source + ": no header row");
  return data;
}

Result<OwnershipData> load_ownership_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("bad_ownership", path + ": cannot open the ownership file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_ownership_csv(text.str(), path);
}

void add_list_relations(OwnershipData& data, const std::string& list_id, const screen::ListEntry& entry) {
  if (entry.names.empty()) return;
  const ListedRef self{list_id, entry.id, entry.names.front().text};
  for (const auto& r : entry.relations) {
    if (r.name.empty()) continue;
    const auto share = r.share.empty() ? std::nullopt : parse_share(r.share);
    if (r.type == "Owns" && share) {
      data.holdings.push_back(Holding{self.name, r.name, *share, list_id, entry.id, list_id + " " + entry.id});
    } else {
      data.links.push_back(Link{r.name, self, r.type});
    }
  }
}

ControlIndex ControlIndex::build(const OwnershipData& data, const ResolveListed& resolve) {
  ControlIndex out;
  std::vector<Node> nodes;
  std::unordered_map<std::string, std::size_t> by_key;
  auto node = [&](const std::string& name) {
    auto [it, added] = by_key.emplace(party_key(name), nodes.size());
    if (added) nodes.push_back(Node{name, std::nullopt, {}, -1});
    return it->second;
  };

  // Owners are resolved once, with the first listing any record declares for them.
  std::map<std::size_t, std::pair<std::string, std::string>> declared;
  std::map<std::pair<std::size_t, std::size_t>, Decimal> seen;
  for (const auto& h : data.holdings) {
    const std::size_t owner = node(h.owner);
    const std::size_t owned = node(h.owned);
    if (!h.owner_list_id.empty()) declared.emplace(owner, std::pair{h.owner_list_id, h.owner_entry_id});
    else declared.emplace(owner, std::pair{std::string(), std::string()});
    // The same holding stated twice (file and list, or two sources) counts once: the first statement wins.
    const auto [it, added] = seen.emplace(std::pair{owner, owned}, h.share);
    if (!added) {
      if (it->second != h.share) {
        out.problems_.push_back(fmt::format("{}: {} holds {}% of {} but an earlier record says {}%; the earlier one counts",
                                            h.source, h.owner, format_percent(h.share), h.owned, format_percent(it->second)));
      }
      continue;
    }
    nodes[owned].owners.push_back(InEdge{owner, h.share});
  }
  for (const auto& [owner, ids] : declared) {
    nodes[owner].listed = resolve(nodes[owner].name, ids.first, ids.second);
    if (nodes[owner].listed) nodes[owner].round = 0;
  }
  for (const auto& n : nodes) {
    Decimal total;
    for (const auto& e : n.owners) total = total.checked_add(e.share).value_or(total);
    if (total > kHundred) {
      out.problems_.push_back(fmt::format("{}: owners' shares add up to {}%", n.name, format_percent(total)));
    }
  }

  // Least fixed point, one round at a time: a node joins in round r when owners blocked before r hold >= 50%.
  for (int round = 1;; ++round) {
    std::vector<std::size_t> joined;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (nodes[i].round >= 0) continue;
      Decimal held;
      for (const auto& e : nodes[i].owners) {
        const int r = nodes[e.owner].round;
        if (r >= 0 && r < round) held = held.checked_add(e.share).value_or(held);
      }
      if (held >= kBlocking) joined.push_back(i);
    }
    if (joined.empty()) break;
    for (const std::size_t i : joined) nodes[i].round = round;
  }

  for (const auto& n : nodes) {
    if (n.listed) continue;
    const auto owners = explaining_owners(nodes, n);
    if (owners.empty()) continue;
    Control c;
    c.blocked = n.round > 0;
    for (const InEdge* e : owners) c.listed_share = c.listed_share.checked_add(e->share).value_or(c.listed_share);
    c.path = fmt::format("{} <- {}", n.name, explain_terms(nodes, n));
    out.by_key_.emplace(party_key(n.name), std::move(c));
  }
  for (const auto& l : data.links) {
    Control& c = out.by_key_[party_key(l.party)];
    std::string text = fmt::format("{} {} ({} {})", l.relation, l.listed.name, l.listed.list_id, l.listed.entry_id);
    if (std::find(c.links.begin(), c.links.end(), text) == c.links.end()) c.links.push_back(std::move(text));
  }
  return out;
}

const Control* ControlIndex::find(std::string_view party_name) const {
  if (by_key_.empty()) return nullptr;
  return find_by_key(party_key(party_name));
}

const Control* ControlIndex::find_by_key(const std::string& key) const {
  const auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &it->second;
}

}  // namespace sm::ownership
