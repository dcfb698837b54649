from typing import cast

from django import forms
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _
from stdnum import isbn as stdnum_isbn

from maillon.catalogue.items import Destination, WithdrawalReason
from maillon.catalogue.marc.extract import Contributor, Description, Series, description
from maillon.catalogue.marc.flavour import as_flavour
from maillon.catalogue.marc.writer import RecordFields
from maillon.catalogue.models import Audience, Collection, DocType, Item, ItemType, Record
from maillon.catalogue.records import marc_record
from maillon.network.models import Library


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RecordForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    subtitle = forms.CharField(label=_("Subtitle"), max_length=500, required=False)
    authors = forms.CharField(
        label=_("Authors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: Surname, Forename ; role (e.g. Hugo, Victor ; auteur)."),
    )
    edition = forms.CharField(
        label=_("Edition statement"),
        max_length=300,
        required=False,
        help_text=_("E.g. 2e éd. revue et augmentée"),
    )
    place = forms.CharField(label=_("Place of publication"), max_length=300, required=False)
    publisher = forms.CharField(label=_("Publisher"), max_length=300, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1000, max_value=2100, required=False)
    isbns = forms.CharField(
        label=_("ISBN"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, with or without hyphens."),
    )
    language = forms.CharField(
        label=_("Language"),
        max_length=3,
        required=False,
        help_text=_("ISO 639-2 code: fre, eng, spa…"),
    )
    classification = forms.CharField(label=_("Dewey classification"), max_length=50, required=False)
    subjects = forms.CharField(
        label=_("Subjects"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; subdivisions after « -- »."),
    )
    series = forms.CharField(
        label=_("Series"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line: title ; number."),
    )
    extent = forms.CharField(
        label=_("Physical description"),
        max_length=300,
        required=False,
        help_text=_("E.g. 212 p. : ill. ; 24 cm"),
    )
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One note per line."),
    )
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocType.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)

    def clean_isbns(self) -> list[str]:
        values = _lines(self.cleaned_data["isbns"])
        bad = [v for v in values if not stdnum_isbn.is_valid(v)]
        if bad:
            raise forms.ValidationError(_("Invalid ISBN: %(values)s") % {"values": ", ".join(bad)})
        return [stdnum_isbn.to_isbn13(stdnum_isbn.compact(v)) for v in values]

    def record_fields(self) -> RecordFields:
        data = self.cleaned_data
        authors = []
        for line in _lines(data["authors"]):
            name, _sep, role = line.partition(";")
            authors.append(Contributor(name.strip(), role.strip()))
        series = []
        for line in _lines(data["series"]):
            title, _sep, number = line.partition(";")
            series.append(Series(title.strip(), number.strip()))
        return RecordFields(
            title=data["title"].strip(),
            subtitle=data["subtitle"].strip(),
            authors=authors,
            publisher=data["publisher"].strip(),
            year=data["year"],
            isbns=data["isbns"],
            language=data["language"].strip().lower(),
            classification=data["classification"].strip(),
            subjects=_lines(data["subjects"]),
            series=series,
            summary=data["summary"].strip(),
            doc_type=data["doc_type"],
            audience=data["audience"],
            edition=data["edition"].strip(),
            place=data["place"].strip(),
            extent=data["extent"].strip(),
            notes=_lines(data["notes"]),
        )

    @staticmethod
    def initial_for(record: Record) -> dict:
        described = (
            description(marc_record(record), as_flavour(record.flavour or "unimarc"))
            if record.marc
            else Description()
        )
        return {
            "edition": described.edition,
            "place": described.place,
            "extent": described.extent,
            "notes": "\n".join(described.notes),
            "title": record.title,
            "subtitle": record.subtitle,
            "authors": "\n".join(
                f"{a['name']} ; {a.get('role', '')}".rstrip(" ;") for a in record.authors
            ),
            "publisher": record.publisher,
            "year": record.year,
            "isbns": record.isbn,
            "language": record.language,
            "classification": record.classification,
            "subjects": "\n".join(record.subjects),
            "series": "\n".join(
                f"{s['title']} ; {s.get('number', '')}".rstrip(" ;") for s in record.series
            ),
            "summary": record.summary,
            "doc_type": record.doc_type,
            "audience": record.audience,
        }


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = [
            "barcode",
            "call_number",
            "home",
            "owner",
            "collection",
            "item_type",
            "audience",
            "location",
            "acquired_on",
            "price",
            "notes",
        ]
        widgets = {
            "acquired_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, homes=None, **kwargs):
        kwargs.setdefault("auto_id", "id_home_%s")  # the item page shows the note form too
        super().__init__(*args, **kwargs)
        if homes is not None:
            self.fields["home"].queryset = homes
        self.fields["owner"].queryset = Library.objects.all()
        self.fields["owner"].required = False
        self.fields["owner"].help_text = _("Who paid for it; by default the home library.")
        self.fields["collection"].queryset = Collection.objects.all()
        self.fields["item_type"].queryset = ItemType.objects.all()
        self.fields["barcode"].widget.attrs.update({"autocomplete": "off", "inputmode": "text"})

    def validate_unique(self) -> None:
        """The service checks the barcode, with its own message, when it writes."""


CODE_HELP = _(
    "2 to 20 capital letters, digits, dashes or underscores. MARC imports and the "
    "code mappings know it by this code: it cannot change once in use."
)


class _SettingForm(forms.ModelForm):
    """An item type or a collection; the service checks codes and uniqueness itself."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = CODE_HELP
        self.fields["code"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def _post_clean(self) -> None:
        # Only copy the typed values: the service gives the readable refusals.
        self.instance = construct_instance(self, self.instance, self._meta.fields)


class ItemTypeForm(_SettingForm):
    class Meta:
        model = ItemType
        fields = ["code", "name"]


class CollectionForm(_SettingForm):
    class Meta:
        model = Collection
        fields = ["code", "name", "kind", "theme", "floating"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("MARC file"), help_text=_("ISO 2709 (.mrc, .iso) or MARCXML, UNIMARC or MARC21.")
    )
    library = forms.ModelChoiceField(
        label=_("Library the file comes from"), queryset=Library.objects.all()
    )
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)

    def __init__(self, *args, libraries=None, **kwargs):
        super().__init__(*args, **kwargs)
        if libraries is not None:
            self.fields["library"].queryset = libraries


class ExportForm(forms.Form):
    """What to export; `libraries` are those the user may export (see export.py), and the
    whole network is offered only to `network` users."""

    library = forms.ModelChoiceField(
        label=_("Holdings of"), queryset=Library.objects.none(), required=False
    )
    flavour = forms.ChoiceField(
        label=_("MARC flavour"), choices=[("unimarc", "UNIMARC"), ("marc21", "MARC21")]
    )
    format = forms.ChoiceField(
        label=_("File format"),
        choices=[("iso2709", _("ISO 2709 (.mrc)")), ("marcxml", _("MARCXML (.xml)"))],
    )

    def __init__(self, *args, libraries=None, network: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        field = cast(forms.ModelChoiceField, self.fields["library"])
        field.queryset = libraries if libraries is not None else Library.objects.none()
        field.empty_label = _("the whole network") if network else None
        field.required = not network

    def clean_library(self):
        library = self.cleaned_data.get("library")
        if library is None and not self.network:
            raise forms.ValidationError(_("Choose one of your libraries."))
        return library


class ItemNoteForm(forms.Form):
    """The optional note of a desk action on an item (lost, damaged, found…)."""

    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class WithdrawForm(ItemNoteForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *WithdrawalReason.CHOICES])
    destination = forms.ChoiceField(
        label=_("Destination"), choices=[("", "—"), *Destination.CHOICES]
    )
    field_order = ["reason", "destination", "note"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_withdraw_%s")  # the item page shows the note form too
        super().__init__(*args, **kwargs)


class ChangeHomeForm(ItemNoteForm):
    home = forms.ModelChoiceField(label=_("New home library"), queryset=Library.objects.none())
    field_order = ["home", "note"]

    def __init__(self, *args, homes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if homes is not None:
            self.fields["home"].queryset = homes
