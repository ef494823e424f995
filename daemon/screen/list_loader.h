#pragma once

#include <string>
#include <vector>

#include "model/result.h"
#include "screen/list_entry.h"
#include "screen/screener.h"

namespace sm::screen {

// One list read from disk: its entries, counts and problems, and the hash of its files' bytes.
struct LoadedList {
  std::vector<ListEntry> entries;
  ListLoadSummary summary;
  std::string content;  // The files' bytes in a fixed order, for the version hash (released after hashing).
};

// Reads an OFAC legacy-CSV directory: sdn.csv, alt.csv, add.csv, sdn_comments.csv, or the consolidated
// non-SDN set cons_prim.csv, cons_alt.csv, cons_add.csv, cons_comments.csv (whichever is present). The primary
// file is required; the others are read when present. Fails when nothing can be opened or no entry is valid.
Result<LoadedList> load_ofac_csv(const ListSource& source);

// Reads the US Consolidated Screening List CSV (header row; columns found by name).
Result<LoadedList> load_csl_csv(const ListSource& source);

// Reads the UN Security Council Consolidated List XML (individuals and entities, aliases by quality, names in
// the original script, documents as identifiers, UN list type as the program, reference number).
Result<LoadedList> load_un_xml(const ListSource& source);

// Reads OFAC's enhanced XML (names and aliases in every script, features such as SWIFT/BIC, IMO and
// "Secondary sanctions risk:", identity documents, relationships between entities).
Result<LoadedList> load_ofac_xml(const ListSource& source);

// Reads FollowTheMoney entities as JSON lines (OpenSanctions' entities.ftm.json); see ftm_loader.cpp for what
// becomes an entry.
Result<LoadedList> load_ftm(const ListSource& source);

// The XML and JSON loaders share the CSV loaders' contract: a malformed record is skipped and reported as
// "<file>:<line>: <reason>", a file that is not well-formed at all (or has the wrong root) fails the list.

// Dispatches on source.format.
Result<LoadedList> load_list(const ListSource& source);

}  // namespace sm::screen
