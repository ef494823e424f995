#include "engine/engine.h"

#include <algorithm>
#include <filesystem>
#include <set>

#include "model/hash.h"
#include "ownership/control_loader.h"

namespace sm::engine {
namespace {

using sanctions::v1::TradeEvent;

void screen_subject(const EngineContext& ctx, ScreeningCache* cache, const screen::Query& query,
                    const std::string& role, const std::string& field, std::vector<score::SubjectMatch>& out) {
  if (query.name.empty() && query.bic.empty() && query.imo.empty()) return;
  std::vector<screen::Match> matches = cache != nullptr ? cache->screen(*ctx.screener, query, ctx.rules.alert_threshold)
                                                        : ctx.screener->screen(query, ctx.rules.alert_threshold);
  for (auto& m : matches) {
    out.push_back(score::SubjectMatch{role, query.name, field, std::move(m)});
  }
}

screen::Query party_query(const sanctions::v1::Party& p) {
  screen::Query q;
  q.kind = screen::SubjectKind::kParty;
  q.name = p.name();
  q.country = p.country();
  q.registration_id = p.registration_id();
  return q;
}

// Parties (not banks or the vessel) that the ownership data says are owned by or linked to listed parties.
void find_control(const ownership::ControlIndex& index, ScreeningCache* cache, const TradeEvent& e,
                  std::vector<score::ControlFinding>& out) {
  if (index.empty()) return;
  auto check = [&](const sanctions::v1::Party& p, std::string role, std::string field) {
    if (p.name().empty()) return;
    const ownership::Control* c = cache != nullptr ? index.find_by_key(cache->party_key(p.name())) : index.find(p.name());
    if (c == nullptr) return;
    out.push_back(score::ControlFinding{std::move(role), p.name(), std::move(field), c->blocked,
                                        c->path.empty() ? "" : ownership::format_percent(c->listed_share), c->path, c->links});
  };
  check(e.exporter(), "EXPORTER", "exporter");
  check(e.importer(), "IMPORTER", "importer");
  for (int i = 0; i < e.parties_size(); ++i) {
    check(e.parties(i), sanctions::v1::Party::Role_Name(e.parties(i).role()), "parties[" + std::to_string(i) + "]");
  }
}

}  // namespace

Result<std::shared_ptr<const EngineContext>> EngineContext::load(const config::AppConfig& config, bool allow_sample_lists) {
  auto iso = IsoCodes::load(config.iso_codes_dir);
  if (!iso) return iso.error();
  auto goods = classify::GoodsClassifier::load(config.goods);
  if (!goods) return goods.error();
  auto rules = score::RuleSet::load_file(config.rules_path);
  if (!rules) return rules.error();
  for (const auto& [currency, rate] : config.aggregates.fx_rates) {
    if (!iso->is_currency(currency)) {
      return make_error("bad_config", config.source + ": aggregates.fx_rates." + currency + ": not an ISO 4217 currency");
    }
  }
  auto fx = aggregate::FxTable::make(config.aggregates.reporting_currency, config.aggregates.fx_rates);
  if (!fx) return make_error(fx.error().code, config.source + ": aggregates: " + fx.error().message);

  screen::ScreenConfig screening = config.screening;
  screening.alert_threshold = rules->alert_threshold;
  screening.critical_threshold = rules->critical_threshold;
  bool sample = false;
  const bool lists_missing = std::any_of(screening.lists.begin(), screening.lists.end(),
                                         [](const auto& l) { return !std::filesystem::exists(l.path); });
  if (lists_missing && allow_sample_lists && !config.sample_lists_dir.empty()) {
    screening.lists = {screen::ListSource{"SAMPLE", "ofac-csv", config.sample_lists_dir}};
    sample = true;
  }
  auto screener = screen::Screener::load(screening);
  if (!screener) return screener.error();
  auto control = ownership::load_control(config.ownership_file, config.ownership_list_relations, **screener,
                                         rules->critical_threshold);
  if (!control) return control.error();

  auto ctx = std::make_shared<EngineContext>(EngineContext{std::move(*iso), std::move(*goods), std::move(*screener),
                                                           std::move(*rules), std::move(*fx), sample,
                                                           std::move(*control), nullptr});
  return std::shared_ptr<const EngineContext>(std::move(ctx));
}

std::shared_ptr<const EngineContext> with_fx_book(std::shared_ptr<const EngineContext> context,
                                                  std::shared_ptr<const aggregate::FxRateBook> book) {
  if (!book) return context;
  auto copy = std::make_shared<EngineContext>(*context);
  copy->fx_book = std::move(book);
  return copy;
}

std::vector<score::SubjectMatch> screen_event(const EngineContext& ctx, const TradeEvent& e, ScreeningCache* cache) {
  std::vector<score::SubjectMatch> out;
  screen_subject(ctx, cache, party_query(e.exporter()), "EXPORTER", "exporter", out);
  screen_subject(ctx, cache, party_query(e.importer()), "IMPORTER", "importer", out);
  for (int i = 0; i < e.parties_size(); ++i) {
    const auto& p = e.parties(i);
    screen_subject(ctx, cache, party_query(p), sanctions::v1::Party::Role_Name(p.role()), "parties[" + std::to_string(i) + "]", out);
  }
  for (int i = 0; i < e.banks_size(); ++i) {
    const auto& b = e.banks(i);
    screen::Query q;
    q.kind = screen::SubjectKind::kBank;
    q.name = b.name();
    q.country = b.country();
    q.bic = b.bic();
    screen_subject(ctx, cache, q, "BANK_" + sanctions::v1::Bank::Role_Name(b.role()), "banks[" + std::to_string(i) + "]", out);
  }
  if (e.has_vessel()) {
    screen::Query q;
    q.kind = screen::SubjectKind::kVessel;
    q.name = e.vessel().name();
    q.imo = e.vessel().imo();
    screen_subject(ctx, cache, q, "VESSEL", "vessel", out);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.match.score > b.match.score; });
  return out;
}

void fill_list_match(const score::SubjectMatch& m, sanctions::v1::ListMatch& out) {
  out.set_party_role(m.role);
  out.set_party_name(m.name);
  out.set_list_id(m.match.list_id);
  out.set_entry_id(m.match.entry_id);
  out.set_entry_name(m.match.entry_name);
  out.set_score(m.match.score);
  out.set_matched_on(m.match.matched_on);
  for (const auto& p : m.match.programs) out.add_programs(p);
  out.set_source(m.match.source);
}

Assessment assess(const EngineContext& ctx, const TradeEvent& e, ScreeningCache* cache) {
  Assessment a;
  assess(ctx, e, cache, a);
  return a;
}

void assess(const EngineContext& ctx, const TradeEvent& e, ScreeningCache* cache, Assessment& a) {
  a.alert.Clear();
  a.goods.clear();
  a.line_values.clear();
  score::Findings findings;
  findings.event = &e;
  findings.currency_class = classify::SettlementClassifier(ctx.iso).classify(e);
  if (!e.settlement().currency().empty()) findings.settlement_currency = IsoCodes::normalise_currency(e.settlement().currency());
  findings.matches = screen_event(ctx, e, cache);
  if (ctx.control) find_control(*ctx.control, cache, e, findings.control);

  // One snapshot of the rate history per event; a rate published later never revalues this one.
  const auto history = ctx.fx_book ? ctx.fx_book->snapshot() : nullptr;
  const EventTime at = history ? parse_rfc3339(e.event_time()).value_or(EventTime{}) : EventTime{};
  std::set<std::string> groups;
  a.goods.reserve(static_cast<std::size_t>(e.goods_size()));
  a.line_values.reserve(static_cast<std::size_t>(e.goods_size()));
  for (int i = 0; i < e.goods_size(); ++i) {
    const auto& line = e.goods(i);
    classify::GoodsClass goods = ctx.goods.classify(line.hs_code());
    groups.insert(goods.groups.begin(), goods.groups.end());
    findings.lines.push_back(score::LineFinding{i, line.hs_code(), goods});
    if (!goods.known) a.alert.add_unknown_hs_codes(line.hs_code());
    const auto amount = Decimal::parse(line.value().amount());
    a.line_values.push_back(amount ? aggregate::to_reporting_at(ctx.fx, history.get(), *amount,
                                                                IsoCodes::normalise_currency(line.value().currency()), at)
                                   : std::nullopt);
    a.goods.push_back(std::move(goods));
  }

  const score::Score s = score::evaluate(ctx.rules, findings);
  sanctions::v1::Alert& alert = a.alert;
  alert.set_alert_id(fnv1a64_hex(e.event_id() + "|" + ctx.screener->version() + "|" + ctx.rules.version()));
  alert.set_event_id(e.event_id());
  alert.set_shipment_id(e.shipment_id());
  alert.set_event_time(e.event_time());
  alert.set_risk_score(s.score);
  alert.set_risk_tier(s.tier);
  alert.set_currency_class(findings.currency_class);
  for (const auto& g : groups) alert.add_product_groups(g);
  for (const auto& r : s.reasons) *alert.add_reasons() = r;
  for (const auto& m : findings.matches) fill_list_match(m, *alert.add_matches());
  alert.set_list_version(ctx.screener->version());
  alert.set_rules_version(ctx.rules.version());
  alert.set_corridor(e.origin_country() + "-" + e.destination_country());
  alert.set_settlement_currency(findings.settlement_currency);
}

}  // namespace sm::engine
