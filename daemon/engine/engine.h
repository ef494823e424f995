#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aggregate/fx_history.h"
#include "aggregate/fx_table.h"
#include "classify/goods_classifier.h"
#include "classify/settlement_classifier.h"
#include "config/app_config.h"
#include "engine/screening_cache.h"
#include "model/decimal.h"
#include "model/iso_codes.h"
#include "model/result.h"
#include "ownership/ownership_graph.h"
#include "score/risk_scorer.h"
#include "score/rule_set.h"
#include "screen/screener.h"
#include "sanctions/v1/alert.pb.h"
#include "sanctions/v1/trade_event.pb.h"

namespace sm::engine {

// Everything the engine judges with: reference data, lists, rules and rates. Built once per (re)load and
// shared immutably: a reload builds a new context aside and swaps the pointer, so no event sees half of one.
struct EngineContext {
  IsoCodes iso;
  classify::GoodsClassifier goods;
  std::shared_ptr<const screen::Screener> screener;
  score::RuleSet rules;
  aggregate::FxTable fx;
  bool using_sample_lists = false;  // The configured lists were missing and the repo's fictional ones serve.
  std::shared_ptr<const ownership::ControlIndex> control;  // Ownership (50% rule) and links to listed parties.
  // Rates over time from the fx.rates topic (or replay --fx-rates), live: read once per event, as of its time,
  // before `fx`; null when not configured. The one member that changes under a context (by snapshots).
  std::shared_ptr<const aggregate::FxRateBook> fx_book;

  // Loads everything `config` names. With allow_sample_lists (the demo only), missing list files fall back to
  // config.sample_lists_dir, and using_sample_lists says so; otherwise a missing list is an error.
  static Result<std::shared_ptr<const EngineContext>> load(const config::AppConfig& config, bool allow_sample_lists = false);
};

// A copy of `context` that also values lines with `book` (as of each event's time); `context` itself when `book`
// is null.
std::shared_ptr<const EngineContext> with_fx_book(std::shared_ptr<const EngineContext> context,
                                                  std::shared_ptr<const aggregate::FxRateBook> book);

// The judgement on one validated event: the alert (every event gets one, LOW included) and what the
// aggregates need per goods line.
struct Assessment {
  sanctions::v1::Alert alert;
  std::vector<classify::GoodsClass> goods;          // Per goods line.
  std::vector<std::optional<Decimal>> line_values;  // Per goods line, in the reporting currency, at the rate in
                                                    // force at the event's time; nullopt: no rate.
};

// Screens, classifies and scores one event. Pure: the same event and context give the same assessment, with or
// without a cache. Thread-safe (the context is immutable) when each thread passes its own cache, or none.
Assessment assess(const EngineContext& context, const sanctions::v1::TradeEvent& event, ScreeningCache* cache = nullptr);
// The same judgement, into `out`, whatever it held before: its alert's strings and repeated fields and its vectors
// keep their capacity, so a caller that reuses one Assessment allocates little per event (the daemon's hot path).
void assess(const EngineContext& context, const sanctions::v1::TradeEvent& event, ScreeningCache* cache, Assessment& out);

// The screening hits of every party, bank and the vessel of `event` at or above the rules' alert threshold.
std::vector<score::SubjectMatch> screen_event(const EngineContext& context, const sanctions::v1::TradeEvent& event,
                                              ScreeningCache* cache = nullptr);

// Alert -> ListMatch conversion, shared with the screen command.
void fill_list_match(const score::SubjectMatch& match, sanctions::v1::ListMatch& out);

}  // namespace sm::engine
