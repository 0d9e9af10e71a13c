#include "pages/html.h"

namespace harvest::pages {

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

template <typename Attrs>
void Html::Attributes(const Attrs& attrs) {
  for (const Attr& a : attrs) {
    out_ += ' ';
    out_ += a.name.text();
    out_ += "=\"";
    out_ += Escape(a.value);
    out_ += '"';
  }
}

Html& Html::Open(Name tag, std::initializer_list<Attr> attrs) {
  out_ += '<';
  out_ += tag.text();
  Attributes(attrs);
  out_ += '>';
  return *this;
}

Html& Html::Open(Name tag, const std::vector<Attr>& attrs) {
  out_ += '<';
  out_ += tag.text();
  Attributes(attrs);
  out_ += '>';
  return *this;
}

Html& Html::Close(Name tag) {
  out_ += "</";
  out_ += tag.text();
  out_ += '>';
  return *this;
}

Html& Html::Element(Name tag, std::string_view text, std::initializer_list<Attr> attrs) {
  return Open(tag, attrs).Text(text).Close(tag);
}

Html& Html::Void(Name tag, std::initializer_list<Attr> attrs) {
  return Open(tag, attrs);
}

Html& Html::Text(std::string_view text) {
  out_ += Escape(text);
  return *this;
}

void Option(Html& html, std::string_view value, std::string_view text, bool selected) {
  if (selected) {
    html.Element("option", text, {{"value", value}, {"selected", ""}});
  } else {
    html.Element("option", text, {{"value", value}});
  }
}

}  // namespace harvest::pages
