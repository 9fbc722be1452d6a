"""Dependencies point one way. programs knows states; states knows nothing of programs, so
the list of jurisdictions can be reused, tested and migrated on its own. ncmec_site wires
the apps together in urls.py and nowhere else (settings name them only as strings). No
module imports, even from inside a function, a module that imports it back; and no file of
an app is over 400 lines, past which it is split by concept."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ncmec_site", "programs", "states")
MAX_LINES = 400


def project_modules(root, packages=PACKAGES):
    """{dotted name: path} of every module under ``packages``, migrations left out."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imports(modules):
    """{module: the dotted names it imports}, from anywhere in it (inside functions too),
    relative imports made absolute. ``from package import name`` imports ``package.name``
    when that is one of ``modules``, else ``package`` (its ``__init__``, which defines or
    imports the name)."""
    found = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = found[name] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                source = node.module
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join([*parts, node.module] if node.module else parts)
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    targets.add(submodule if submodule in modules else source)
    return found


def module_imports(modules):
    """{module: the project's modules it imports}: a module outside the project (Django,
    the standard library) is no edge, nor is a module's import of itself."""
    return {
        name: {target for target in targets if target in modules} - {name}
        for name, targets in imports(modules).items()
    }


def import_cycles(graph):
    """Each cycle of imports, as ["a", "b", "a"]: the shortest through each module in
    one, written once, from its first module by name."""
    cycles = set()
    for start in graph:
        cycle = shortest_cycle(graph, start)
        if cycle:
            first = cycle.index(min(cycle))
            cycles.add((*cycle[first:-1], *cycle[:first], cycle[first]))
    return [list(cycle) for cycle in sorted(cycles)]


def shortest_cycle(graph, start):
    """The shortest path of imports from ``start`` back to it (breadth first), or None."""
    paths = {start: [start]}
    queue = [start]
    for module in queue:
        for target in sorted(graph[module]):
            if target == start:
                return [*paths[module], start]
            if target not in paths:
                paths[target] = [*paths[module], target]
                queue.append(target)
    return None


def imports_of(modules, importers, apps):
    """Each "module imports name" where a module of the package ``importers`` imports one
    of ``apps`` or anything in them."""
    return [
        f"{name} imports {target}"
        for name, targets in imports(modules).items()
        if name == importers or name.startswith(f"{importers}.")
        for target in sorted(targets)
        if target.split(".")[0] in apps
    ]


def long_files(root, packages=PACKAGES, limit=MAX_LINES):
    """Each "path: N lines" for a file of the apps (migrations left out) over ``limit``
    lines, counted as wc -l counts them."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*")):
            parts = path.relative_to(root).parts
            if path.is_file() and "migrations" not in parts and "__pycache__" not in parts:
                lines = path.read_bytes().count(b"\n")
                if lines > limit:
                    found.append(f"{path.relative_to(root)}: {lines} lines")
    return found


def test_no_module_imports_a_module_that_imports_it():
    cycles = [" → ".join(cycle) for cycle in import_cycles(module_imports(project_modules(ROOT)))]
    assert not cycles, "Modules that import each other:\n" + "\n".join(cycles)


def test_states_imports_nothing_from_programs():
    found = imports_of(project_modules(ROOT), "states", {"programs"})
    assert not found, "\n".join(found)


def test_ncmec_site_imports_the_apps_only_in_its_urls():
    found = imports_of(project_modules(ROOT), "ncmec_site", {"programs", "states"})
    found = [line for line in found if not line.startswith("ncmec_site.urls ")]
    assert not found, "\n".join(found)


def test_no_app_file_is_over_400_lines():
    found = long_files(ROOT)
    assert not found, "Split by concept:\n" + "\n".join(found)


def plant(root, files):
    """Write ``files`` ({path: text}) under ``root``: the modules of a package "app"."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return project_modules(root, packages=("app",))


def test_the_scan_finds_a_cycle_through_an_import_inside_a_function(tmp_path):
    modules = plant(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/figures.py": "from .catalog import Metric\n",
            "app/catalog.py": "def clean():\n    from app.figures import Figure\n",
            "app/views.py": "from app import catalog, figures\n",
        },
    )
    assert import_cycles(module_imports(modules)) == [
        ["app.catalog", "app.figures", "app.catalog"]
    ]


def test_the_scan_reads_a_name_from_a_package_as_its_init_a_submodule_as_itself(tmp_path):
    modules = plant(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models/__init__.py": "from .catalog import Metric\n",
            "app/models/catalog.py": "from ..models import Figure\nfrom .. import formatting\n",
            "app/formatting.py": "import app.models.catalog\n",
        },
    )
    graph = module_imports(modules)
    assert graph["app.models.catalog"] == {"app.models", "app.formatting"}
    assert graph["app.formatting"] == {"app.models.catalog"}
    assert import_cycles(graph) == [
        ["app.formatting", "app.models.catalog", "app.formatting"],
        ["app.models", "app.models.catalog", "app.models"],
    ]


def test_the_scan_finds_both_forms_of_import_of_an_app(tmp_path):
    modules = plant(
        tmp_path,
        {
            "app/a.py": "from programs.models import Figure\n",
            "app/b.py": "import programs.reader\nimport programsx\n",
        },
    )
    assert imports_of(modules, "app", {"programs"}) == [
        "app.a imports programs.models",
        "app.b imports programs.reader",
    ]


def test_the_scan_counts_the_lines_of_every_app_file(tmp_path):
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "long.py").write_text("x = 1\n" * 401)
    (tmp_path / "app" / "short.toml").write_text("x = 1\n" * 400)
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 999)
    assert long_files(tmp_path, packages=("app",)) == ["app/long.py: 401 lines"]
