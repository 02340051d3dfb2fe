"""Frameworks' verbs and the framework files: reading and checking a file (loader, checker,
schema: no database; every problem as "file:line: problem"), its Welsh and Easy Read text
(translations, translation_checker) and importing files (imports).
The file reading sits here because checking a file is the first half of importing it; it
answers no read model (those are in queries.py). Others import from here:
`from app.frameworks import service as frameworks_service`.
"""

from app.frameworks.service.imports import ImportResult, import_frameworks
from app.frameworks.service.loader import (
    FrameworkFileError,
    FrameworkProblem,
    LoadedFramework,
    LoadedSection,
    LoadedStatement,
    ScaleLevel,
    check_framework_files,
    load_framework_file,
)
from app.frameworks.service.translations import (
    LANGUAGES,
    LoadedTranslation,
    check_with_translations,
    missing_translations,
    read_translations,
)

__all__ = [
    "LANGUAGES",
    "LoadedTranslation",
    "check_with_translations",
    "missing_translations",
    "read_translations",
    "FrameworkFileError",
    "FrameworkProblem",
    "ImportResult",
    "LoadedFramework",
    "LoadedSection",
    "LoadedStatement",
    "ScaleLevel",
    "check_framework_files",
    "import_frameworks",
    "load_framework_file",
]
