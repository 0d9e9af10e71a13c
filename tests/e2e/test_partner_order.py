"""Partners' farm pages say nothing about owners (SPEC §3): farm numbers run consecutively
per owner, so pages in number order would put one owner's farms side by side. Partners'
pages come in the order of the opaque ids they see instead."""
import math
from collections import Counter

from field_samples import download, partner_farm_numbers
from harvest_env import walk_pages


def same_owner_neighbours(owners):
    """Consecutive pairs of one owner, among pairs whose both owners are known."""
    return sum(1 for a, b in zip(owners, owners[1:]) if a and b and a == b)


def chance_bound(owners):
    """What a random order of these farms would give at most (mean plus four deviations):
    a pair of distinct farms is one owner's with probability sum m(m-1) / n(n-1)."""
    known = [o for o in owners if o]
    n = len(known)
    pairs = sum(1 for a, b in zip(owners, owners[1:]) if a and b)
    p = sum(m * (m - 1) for m in Counter(known).values()) / (n * (n - 1))
    mean = pairs * p
    return mean + 4 * math.sqrt(mean) + 2


def test_partner_pages_do_not_put_one_owners_farms_side_by_side(server, keys):
    staff_farms = download(server, "/api/v1/farms.csv", keys["extension"])
    owner_of = {f["id"]: f["farmer_id"] for f in staff_farms}
    parish = Counter(f["parish"] for f in staff_farms).most_common(1)[0][0]
    in_parish = sorted((f["id"] for f in staff_farms if f["parish"] == parish), key=int)
    numbers = partner_farm_numbers(server, keys)

    partner = walk_pages(server, f"/api/v1/farms?parish={parish}&limit=50", key=keys["partner"])
    tokens = [f["id"] for f in partner]
    # Every farm of the parish exactly once across the pages.
    assert len(tokens) == len(set(tokens)) == len(in_parish)
    mapped = [numbers.get(t) for t in tokens]
    assert sum(1 for m in mapped if m) > len(tokens) * 0.8, "too few farms matched to test"
    assert set(m for m in mapped if m) <= set(in_parish)

    owners = [owner_of[m] if m else None for m in mapped]
    staff_order = [owner_of[n] if n in set(mapped) else None for n in in_parish]
    bound = chance_bound(owners)
    # The test means something: in number order, one owner's farms are neighbours often.
    assert same_owner_neighbours(staff_order) > 2 * bound, (same_owner_neighbours(staff_order), bound)
    assert same_owner_neighbours(owners) <= bound, (same_owner_neighbours(owners), bound)
    assert tokens == sorted(tokens), "pages come in the order of the ids partners see"


def test_partner_pages_and_downloads_walk_every_farm_once(server, keys):
    partner = keys["partner"]
    staff = download(server, "/api/v1/farms.csv?status=active", keys["extension"])
    for pages, whole in (("/api/v1/farms?limit=500", "/api/v1/farms.csv"),
                         ("/api/v1/farms?status=active&limit=300",
                          "/api/v1/farms.csv?status=active")):
        walked = [f["id"] for f in walk_pages(server, pages, key=partner)]
        assert len(walked) == len(set(walked)) and walked == sorted(walked), pages
        assert [f["id"] for f in download(server, whole, partner)] == walked, whole
    assert len(walked) == len(staff)
