// A small HTML builder that escapes by default: tag and attribute names can only be string
// literals (checked when compiled), and every text and attribute value goes through one
// escape helper, Escape. So no request data can become markup, and no page needs a
// template language. Must not depend on HTTP or the store.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace harvest::pages {

// A tag or attribute name. Only a string literal converts to one.
class Name {
 public:
  template <size_t N>
  consteval Name(const char (&text)[N]) : text_(text, N - 1) {}  // NOLINT: implicit on purpose
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

struct Attr {
  Name name;
  std::string_view value;  // escaped when written
};

// & < > " ' as character references: safe in text and in quoted attribute values.
std::string Escape(std::string_view text);

class Html {
 public:
  Html& Open(Name tag, std::initializer_list<Attr> attrs = {});
  Html& Close(Name tag);
  // <tag attrs>text</tag>
  Html& Element(Name tag, std::string_view text, std::initializer_list<Attr> attrs = {});
  // An element without content or end tag (input, meta, link).
  Html& Void(Name tag, std::initializer_list<Attr> attrs);
  // The same with attributes chosen at run time (an attribute left out rather than empty).
  Html& Open(Name tag, const std::vector<Attr>& attrs);
  Html& Void(Name tag, const std::vector<Attr>& attrs) { return Open(tag, attrs); }
  Html& Text(std::string_view text);
  std::string Take() { return std::move(out_); }
  size_t size() const { return out_.size(); }

 private:
  template <typename Attrs>
  void Attributes(const Attrs& attrs);
  std::string out_;
};

// <option value=value>text</option>, marked selected when `selected`.
void Option(Html& html, std::string_view value, std::string_view text, bool selected);

}  // namespace harvest::pages
