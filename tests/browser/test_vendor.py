"""The vendor step: the front-end files copied from node_modules (npm ci) into static/vendor, and what
happens without them."""

from __future__ import annotations

import subprocess
import sys

import pytest
from browser_helpers import ROOT

from cpsgraph.vendor import FILES, VENDOR_DIR, VendorFilesMissing, copy_vendor, missing_vendor_files


def test_copy_vendor_copies_every_file_the_pages_load(tmp_path):
    copied = copy_vendor(ROOT / "node_modules", tmp_path / "vendor")
    assert sorted(p.relative_to(tmp_path / "vendor").as_posix() for p in copied) == sorted(FILES)
    assert missing_vendor_files(tmp_path / "vendor") == []
    assert (tmp_path / "vendor/yasgui/yasgui.min.js").read_bytes() == \
        (ROOT / "node_modules/@zazuko/yasgui/build/yasgui.min.js").read_bytes()


def test_missing_node_modules_names_the_missing_files(tmp_path):
    with pytest.raises(VendorFilesMissing, match="cytoscape/dist/cytoscape.min.js.*npm ci"):
        copy_vendor(tmp_path / "node_modules", tmp_path / "vendor")
    assert not (tmp_path / "vendor").exists()          # nothing half-copied
    assert set(missing_vendor_files(tmp_path / "vendor")) == set(FILES)


def test_the_module_entry_point_runs(tmp_path):
    done = subprocess.run([sys.executable, "-m", "cpsgraph.vendor"], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"copied {len(FILES)} files" in done.stdout
    assert missing_vendor_files(VENDOR_DIR) == []


def test_package_json_pins_what_the_vendor_step_copies():
    import json

    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    wanted = {"cytoscape", "@zazuko/yasgui"}
    assert wanted <= set(package["dependencies"]) and "axe-core" in package["devDependencies"]
    for name in wanted | {"axe-core"}:
        assert lock["packages"][f"node_modules/{name}"]["version"] == (package["dependencies"] | package["devDependencies"])[name]
