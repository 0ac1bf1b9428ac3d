"""Form definitions: what the toolkit asks, loaded from YAML in ``forms/`` and validated."""

from toolkit.forms.loader import FormError, load_form, load_grade_bands, load_rubric, registry
from toolkit.forms.models import Field, FieldKind, Form, Group, Section, SourceRef

__all__ = [
    "Field",
    "FieldKind",
    "Form",
    "FormError",
    "Group",
    "Section",
    "SourceRef",
    "load_form",
    "load_grade_bands",
    "load_rubric",
    "registry",
]
