#pragma once

#include <libxml/tree.h>

#include <memory>
#include <string>
#include <vector>

#include "model/result.h"

// A parsed XML file (libxml2's tree) and the few read-only walks the XML list loaders need. Element names are
// compared by local name, so a default namespace (OFAC's enhanced XML has one) does not matter. Internal to
// the screen module.
namespace sm::screen::xml {

struct DocFree {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using Document = std::unique_ptr<xmlDoc, DocFree>;

// Parses `bytes` without network access or entity expansion. Fails with the parser's line and message when
// the file is not well-formed XML (a structural fault: the whole list is refused).
Result<Document> parse(const std::string& bytes, const std::string& file_name);

bool is(const xmlNode* node, const char* name);
// The first element child called `name`, or nullptr.
const xmlNode* child(const xmlNode* node, const char* name);
// Every element child called `name` (every element child when `name` is nullptr), in document order.
std::vector<const xmlNode*> children(const xmlNode* node, const char* name = nullptr);
// The node's own text (its text and CDATA children), white space squeezed.
std::string text(const xmlNode* node);
// text(child(node, name)), "" when there is no such child.
std::string child_text(const xmlNode* node, const char* name);
std::string attribute(const xmlNode* node, const char* name);
// The line the element starts on (1-based).
std::size_t line(const xmlNode* node);

}  // namespace sm::screen::xml
