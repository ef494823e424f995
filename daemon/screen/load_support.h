#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "screen/list_entry.h"
#include "screen/list_loader.h"

// Small pieces every list loader shares: reading files, reporting a rejected record, adding names and
// identifiers without duplicates, and the closing counts. Internal to the screen module.
namespace sm::screen::load {

// The whole file into `out`; false when it cannot be opened.
bool read_whole_file(const std::string& path, std::string& out);

// Counts a rejected record and keeps "<file>:<line>: <reason>" among the first few dozen problems.
void reject(ListLoadSummary& summary, const std::string& file, std::size_t line, const std::string& reason);

// Leading and trailing ASCII white space (and newlines inside XML text) removed; inner runs become one space.
std::string squeeze(std::string_view text);

// The writing system of the first letter that has one, by ICU's name ("Arabic", "Cyrillic", "Han"); "" for
// Latin, for text without letters, and for invalid UTF-8.
std::string script_of(std::string_view utf8);

// Adds a name unless the entry already has the same text; the script is detected.
void add_name(ListEntry& entry, std::string text, NameKind kind);

// Adds an identifier unless the entry already has the same kind and value; ignores empty values.
void add_identifier(ListEntry& entry, IdentifierKind kind, std::string value, std::string country, std::string label);

// Adds a relation unless the entry already has one to the same party with the same type.
void add_relation(ListEntry& entry, EntryRelation relation);

// Fills in the other entry's id of relations that name it only ("Linked To: BANK X"), where exactly one entry
// of the same list has that primary name.
void resolve_relations(LoadedList& list);

// Fills the summary's entry, name and identifier counts from the list.
void finish_summary(LoadedList& list);

}  // namespace sm::screen::load
