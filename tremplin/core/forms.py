from django import forms


class AccessibleFormMixin:
    """Bootstrap classes on every widget, and after validation each field in error says
    so to screen readers (aria-invalid) and points at its error message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                bound = self[name]
                described = [f"{bound.auto_id}-erreur"]
                if self.fields[name].help_text:
                    described.append(f"{bound.auto_id}-aide")
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(described)
                attrs["class"] = f"{attrs.get('class', '')} is-invalid"
