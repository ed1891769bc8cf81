"""axe-core and the Nu HTML Checker, installed from npm into tests/a11y/.node on first use."""

import json
import shutil
import subprocess
from pathlib import Path

from tests.support.live import skip_or_fail

NODE_DIR = Path(__file__).resolve().parent / ".node"
MODULES = NODE_DIR / "node_modules"
AXE = MODULES / "axe-core" / "axe.min.js"
VNU = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
PACKAGES = ["axe-core", "vnu-jar"]


def npm_tool(path: Path) -> Path:
    """`path` inside node_modules, installing the npm packages if it is missing."""
    if not path.exists():
        if shutil.which("npm") is None:
            skip_or_fail("npm is not installed: cannot fetch axe-core and vnu-jar")
        command = ["npm", "install", "--prefix", str(NODE_DIR), "--no-save", "--no-package-lock",
                   "--no-audit", "--no-fund", *PACKAGES]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
        if result.returncode != 0 or not path.exists():
            skip_or_fail(f"npm install {' '.join(PACKAGES)} failed: {result.stderr[-2000:]}")
    return path


def run_vnu(files: list[Path]) -> dict[str, list[dict]]:
    """The Nu HTML Checker's errors for each file, by file name."""
    if shutil.which("java") is None:
        skip_or_fail("Java is not installed: cannot run the Nu HTML Checker")
    jar = npm_tool(VNU)
    result = subprocess.run(
        ["java", "-jar", str(jar), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    errors = {file.name: [] for file in files}
    for message in messages:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            errors.setdefault(Path(message.get("url", "?")).name, []).append(message)
    return errors
