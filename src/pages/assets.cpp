#include "pages/assets.h"

#include <cassert>
#include <cstdlib>

namespace harvest::pages {

std::string_view Stylesheet() {
  static constexpr std::string_view kCss = R"CSS(*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:100%;
line-height:1.5;color:#1a1a1a;background:#fff;-webkit-text-size-adjust:100%}
body{margin:0;min-height:100vh;display:flex;flex-direction:column}
a{color:#0b5394}
a:focus,button:focus,input:focus,select:focus{outline:3px solid #ff9800;outline-offset:2px}
.skip{position:absolute;left:-9999px;top:0;background:#fff;padding:.5rem}
.skip:focus{left:.5rem;z-index:2}
.top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem;
padding:.5rem 1rem;background:#1b4d2b;color:#fff}
.top a,.top .who{color:#fff}
.brand{font-weight:700;font-size:1.25rem;text-decoration:none}
.top nav{display:flex;flex-wrap:wrap;align-items:center;gap:.75rem}
form.inline{display:inline;margin:0}
button.link{background:none;border:0;padding:0;color:#fff;text-decoration:underline;
font:inherit;cursor:pointer;min-height:auto;margin:0}
main{flex:1;width:100%;max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
.hint{display:block;color:#4a4a4a;font-size:.9rem;margin-bottom:.25rem}
input,select{width:100%;font:inherit;padding:.6rem;border:2px solid #595959;border-radius:4px;
background:#fff;color:#1a1a1a}
fieldset{border:1px solid #8a8a8a;border-radius:4px;margin:1rem 0;padding:.25rem .75rem .75rem}
legend{font-weight:600;padding:0 .25rem}
button{font:inherit;font-weight:700;min-height:3rem;width:100%;margin-top:1rem;border:0;
border-radius:4px;background:#1b4d2b;color:#fff;cursor:pointer}
.notice{padding:.75rem;border-radius:4px;border-left:6px solid #0b5394;background:#eef4fb}
.notice.error{border-color:#b71c1c;background:#fdecea}
.problem{display:block;color:#b71c1c;font-weight:600}
.card{border:2px solid #595959;border-radius:6px;margin:1rem 0;overflow:hidden}
.verdict{margin:0;padding:1rem;font-size:2rem;font-weight:800;letter-spacing:.05em}
.verdict small{display:block;font-size:1rem;font-weight:600;letter-spacing:0}
.v-VALID{background:#1b5e20;color:#fff}
.v-CHECK{background:#ffc107;color:#1a1a1a}
.v-ALERT{background:#b71c1c;color:#fff}
.v-UNKNOWN{background:#424242;color:#fff}
.card .body{padding:0 1rem 1rem}
.card ul{padding-left:1.25rem}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:0}
dt{font-weight:600}
dd{margin:0;overflow-wrap:break-word}
textarea{width:100%;font:inherit;padding:.6rem;border:2px solid #595959;border-radius:4px}
.req{font-weight:400;color:#4a4a4a}
.sr-only{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap;border:0}
.scroll{overflow-x:auto;margin:1rem 0}
table{border-collapse:collapse;width:100%;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #ccc;vertical-align:top}
th{background:#f1f1f1}
.actions{display:flex;flex-wrap:wrap;gap:.75rem 1.5rem;align-items:center}
.actions button{margin-top:.5rem}
button.danger{background:#b71c1c}
body:has(.wide) main,body:has(.filters) main{max-width:72rem}
.table-wrap{overflow-x:auto;margin:.5rem 0 1rem}
.table-wrap th,.table-wrap td{white-space:nowrap}
thead th{border-bottom:2px solid #595959;white-space:nowrap}
form.row-action{margin:0}
form.row-action button{width:auto;min-height:2.75rem;margin:0;padding:0 1rem;background:#b71c1c}
.filters fieldset{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));
gap:0 1rem}
.filters legend{grid-column:1/-1}
.filters button{width:auto;padding:0 2rem;margin-right:1rem}
main form:not(.row-action):not(.filters):not(.inline){max-width:40rem}
.secret{display:block;font-size:1.1rem;padding:.5rem;background:#f1f1f1;border:1px solid #8a8a8a;
overflow-wrap:anywhere;user-select:all}
.menu{padding-left:1.25rem}
.menu li{margin:.5rem 0}
.downloads a{margin-right:.5rem}
.foot{padding:1rem;color:#4a4a4a;font-size:.875rem;text-align:center;border-top:1px solid #ccc}
@media (min-width:48rem){main{padding:2rem 1rem}button{width:auto;padding:0 2rem}}
)CSS";
  return kCss;
}

const EmbeddedAsset& Asset(std::string_view name) {
  for (const EmbeddedAsset& asset : EmbeddedAssets()) {
    if (asset.name == name) {
      return asset;
    }
  }
  assert(false && "an asset the build does not embed (CMakeLists.txt, HARVEST_ASSETS)");
  std::abort();
}

const EmbeddedAsset* AssetAt(std::string_view path) {
  for (const EmbeddedAsset& asset : EmbeddedAssets()) {
    if (asset.path == path) {
      return &asset;
    }
  }
  return nullptr;
}

}  // namespace harvest::pages
