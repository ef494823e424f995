#include "screen/xml_tree.h"

#include <libxml/parser.h>

#include <cstring>
#include <mutex>

#include "screen/load_support.h"

namespace sm::screen::xml {
namespace {

const char* name_of(const xmlNode* node) { return reinterpret_cast<const char*>(node->name); }

struct ContextFree {
  void operator()(xmlParserCtxt* ctxt) const { xmlFreeParserCtxt(ctxt); }
};

}  // namespace

Result<Document> parse(const std::string& bytes, const std::string& file_name) {
  static std::once_flag init;
  std::call_once(init, [] { xmlInitParser(); });  // libxml2 wants its global state set up once, up front.
  std::unique_ptr<xmlParserCtxt, ContextFree> ctxt(xmlNewParserCtxt());
  if (!ctxt) return make_error("list_malformed", file_name + ": out of memory starting the XML parser");
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES |
                      XML_PARSE_NOBLANKS | XML_PARSE_HUGE;
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX)) return make_error("list_malformed", file_name + ": file too large");
  Document doc(xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), file_name.c_str(), nullptr, options));
  const xmlError* err = xmlCtxtGetLastError(ctxt.get());
  if (!doc || (err != nullptr && err->level >= XML_ERR_ERROR)) {
    std::string message = err != nullptr && err->message != nullptr ? load::squeeze(err->message) : "not well-formed XML";
    const int at = err != nullptr ? err->line : 0;
    return make_error("list_malformed", file_name + ":" + std::to_string(at) + ": " + message);
  }
  return doc;
}

bool is(const xmlNode* node, const char* name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && std::strcmp(name_of(node), name) == 0;
}

const xmlNode* child(const xmlNode* node, const char* name) {
  if (node == nullptr) return nullptr;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (is(c, name)) return c;
  }
  return nullptr;
}

std::vector<const xmlNode*> children(const xmlNode* node, const char* name) {
  std::vector<const xmlNode*> out;
  if (node == nullptr) return out;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && (name == nullptr || std::strcmp(name_of(c), name) == 0)) out.push_back(c);
  }
  return out;
}

std::string text(const xmlNode* node) {
  if (node == nullptr) return {};
  std::string raw;
  for (const xmlNode* c = node->children; c != nullptr; c = c->next) {
    if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content != nullptr) {
      raw += reinterpret_cast<const char*>(c->content);
    }
  }
  return load::squeeze(raw);
}

std::string child_text(const xmlNode* node, const char* name) { return text(child(node, name)); }

std::string attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

std::size_t line(const xmlNode* node) {
  const long l = xmlGetLineNo(node);
  return l < 0 ? 0 : static_cast<std::size_t>(l);
}

}  // namespace sm::screen::xml
