"""Damaged copies of dlib's model files, for the commands that must stop on them."""

from pathlib import Path

from aufeat.face._models import MODEL_FILES, model_path


def cut_model(folder: Path, name: str) -> Path:
    """Write dlib model ``name`` cut short into ``folder``, as an interrupted copy leaves it."""
    folder.mkdir(exist_ok=True)
    data = Path(model_path(name)).read_bytes()
    path = folder / MODEL_FILES[name]
    path.write_bytes(data[: len(data) // 3])
    return path
