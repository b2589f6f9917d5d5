"""The shipped type declarations (_spm.pyi, py.typed) describe the extension that was built."""

import ast
from importlib import resources

import spm
from spm import _spm


def pyi_text():
    return resources.files("spm").joinpath("_spm.pyi").read_text()


def test_pyi_and_marker_are_installed():
    assert resources.files("spm").joinpath("py.typed").is_file()
    assert "def round_decimal" in pyi_text()


def test_pyi_lists_every_public_name_of_the_extension():
    tree = ast.parse(pyi_text())
    declared = {
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef))
    }
    public = {n for n in dir(_spm) if not n.startswith("_")}
    missing = public - declared
    assert not missing, f"regenerate bindings/python/spm/_spm.pyi (see bindings/python/CMakeLists.txt): {sorted(missing)}"


def test_package_exports():
    for name in spm.__all__:
        assert hasattr(spm, name), name
