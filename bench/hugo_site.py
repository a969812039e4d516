"""The same corpus as a Hugo site, with minimal layouts so Hugo renders comparable pages."""

from __future__ import annotations

import shutil
from pathlib import Path

LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html lang=\"ru\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title>"
    "<link rel=\"canonical\" href=\"{{ .Permalink }}\"></head><body>{{ block \"main\" . }}{{ end }}</body></html>",
    # data-pagefind-body: Pagefind run over Hugo's output indexes the posts only, as dzenpress's index does
    "_default/single.html": "{{ define \"main\" }}<article data-pagefind-body><h1>{{ .Title }}</h1>"
    "<time>{{ .Date.Format \"2006-01-02\" }}</time>"
    "{{ range .Params.tags }}<a href=\"/tags/{{ . | urlize }}/\">{{ . }}</a>{{ end }}{{ .Content }}</article>"
    "{{ with .PrevInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}{{ end }}",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<article>"
    "<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a><p>{{ .Summary | plainify | truncate 160 }}</p></article>"
    "{{ end }}{{ end }}",
    "index.html": "{{ define \"main\" }}{{ range first 6 .Site.RegularPages }}<a href=\"{{ .RelPermalink }}\">"
    "{{ .Title }}</a>{{ end }}{{ end }}",
}


def make_hugo_site(source: Path, target: Path) -> None:
    (target / "content").mkdir(parents=True)
    shutil.copytree(source / "content" / "posts", target / "content" / "blog")
    (target / "hugo.toml").write_text(
        'baseURL = "https://bench.example/"\nlanguageCode = "ru"\ntitle = "Бенчмарк"\n'
        "paginate = 10\n[taxonomies]\ntag = \"tags\"\n", encoding="utf-8")
    for rel, text in LAYOUTS.items():
        path = target / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
