"""Code tables shared by extraction and writing (relators, document types, audiences)."""

from __future__ import annotations

# (UNIMARC relator code, MARC21 relator code, French word). Only the functions a public
# library meets; an unknown code is passed through unchanged rather than guessed.
RELATORS: tuple[tuple[str, str, str], ...] = (
    ("005", "act", "acteur"),
    ("010", "adp", "adaptateur"),
    ("020", "ann", "annotateur"),
    ("030", "arr", "arrangeur"),
    ("040", "art", "artiste"),
    ("070", "aut", "auteur"),
    ("072", "aqt", "auteur de citations"),
    ("075", "aft", "postfacier"),
    ("080", "aui", "préfacier"),
    ("090", "aus", "dialoguiste"),
    ("100", "ant", "auteur adapté"),
    ("180", "ctg", "cartographe"),
    ("200", "chr", "chorégraphe"),
    ("205", "clb", "collaborateur"),
    ("210", "cmm", "commentateur"),
    ("212", "cwt", "commentateur du texte"),
    ("220", "com", "compilateur"),
    ("230", "cmp", "compositeur"),
    ("245", "ccp", "concepteur"),
    ("250", "cnd", "chef d'orchestre"),
    ("273", "cur", "commissaire d'exposition"),
    ("300", "drt", "réalisateur"),
    ("340", "edt", "éditeur scientifique"),
    ("350", "egr", "graveur"),
    ("370", "flm", "monteur"),
    ("395", "fnd", "fondateur"),
    ("420", "hnr", "personne honorée"),
    ("440", "ill", "illustrateur"),
    ("460", "ive", "personne interviewée"),
    ("470", "ivr", "intervieweur"),
    ("480", "lbt", "librettiste"),
    ("520", "lyr", "parolier"),
    ("545", "mus", "musicien"),
    ("550", "nrt", "narrateur"),
    ("557", "orm", "organisateur de congrès"),
    ("570", "oth", "autre"),
    ("590", "prf", "interprète"),
    ("600", "pht", "photographe"),
    ("605", "pre", "présentateur"),
    ("610", "prt", "imprimeur"),
    ("630", "pro", "producteur"),
    ("650", "pbl", "éditeur commercial"),
    ("651", "pbd", "directeur de publication"),
    ("675", "rev", "critique"),
    ("690", "sce", "scénariste"),
    ("695", "sad", "conseiller scientifique"),
    ("705", "scl", "sculpteur"),
    ("721", "sng", "chanteur"),
    ("727", "ths", "directeur de thèse"),
    ("730", "trl", "traducteur"),
    ("770", "wam", "auteur du matériel d'accompagnement"),
)
UNIMARC_ROLE = {u: fr for u, _, fr in RELATORS}
# RDA's generic "creator" is how many MARC21 sources (RERO among them) mark the main author.
MARC21_ROLE = {m: fr for _, m, fr in RELATORS} | {"cre": "auteur"}
ROLE_UNIMARC = {fr: u for u, _, fr in RELATORS}
ROLE_MARC21 = {fr: m for _, m, fr in RELATORS}
# MARC21 $e relator terms seen in English-language records, lowercased, punctuation removed.
MARC21_TERMS = {
    "author": "auteur", "writer": "auteur", "illustrator": "illustrateur",
    "translator": "traducteur", "editor": "éditeur scientifique", "composer": "compositeur",
    "performer": "interprète", "narrator": "narrateur", "photographer": "photographe",
    "director": "réalisateur", "film director": "réalisateur", "actor": "acteur",
    "lyricist": "parolier", "arranger": "arrangeur", "conductor": "chef d'orchestre",
    "singer": "chanteur", "producer": "producteur", "screenwriter": "scénariste",
    "compiler": "compilateur", "adapter": "adaptateur", "artist": "artiste",
    "writer of introduction": "préfacier", "author of introduction": "préfacier",
    "writer of preface": "préfacier", "writer of afterword": "postfacier",
    "cartographer": "cartographe", "interviewer": "intervieweur",
    "interviewee": "personne interviewée", "honouree": "personne honorée",
    "honoree": "personne honorée", "publisher": "éditeur commercial",
    "ed": "éditeur scientifique", "ill": "illustrateur", "tr": "traducteur",
    "comp": "compilateur", "joint author": "auteur",
}  # fmt: skip

DOC_TYPES = (
    "text", "score", "video", "sound", "music", "image", "game", "kit", "periodical",
    "multimedia", "other",
)  # fmt: skip
AUDIENCES = ("adult", "youth", "unknown")

# Leader/06 (type of record) → document type. UNIMARC "l" is an electronic resource and "m" a
# multimedia kit; MARC21 "m" is a computer file and "o" a kit.
UNIMARC_TYPE = {
    "a": "text", "b": "text", "c": "score", "d": "score", "e": "other", "f": "other",
    "g": "video", "i": "sound", "j": "music", "k": "image", "l": "multimedia", "m": "kit",
    "r": "game",
}  # fmt: skip
MARC21_TYPE = {
    "a": "text", "t": "text", "c": "score", "d": "score", "e": "other", "f": "other",
    "g": "video", "i": "sound", "j": "music", "k": "image", "m": "multimedia", "o": "kit",
    "p": "other", "r": "game",
}  # fmt: skip
# Document type → leader/06-07 when building a record.
TYPE_UNIMARC = {
    "text": "am", "periodical": "as", "score": "cm", "other": "em", "video": "gm",
    "sound": "im", "music": "jm", "image": "km", "multimedia": "lm", "kit": "mm", "game": "rm",
}  # fmt: skip
TYPE_MARC21 = {
    "text": "am", "periodical": "as", "score": "cm", "other": "pm", "video": "gm",
    "sound": "im", "music": "jm", "image": "km", "multimedia": "mm", "kit": "om", "game": "rm",
}  # fmt: skip

# UNIMARC 100$a/17 target audience; MARC21 008/22 (books, music, visual, computer files).
UNIMARC_AUDIENCE = {
    "a": "youth", "b": "youth", "c": "youth", "d": "youth", "e": "youth",
    "k": "adult", "m": "adult",
}  # fmt: skip
MARC21_AUDIENCE = {
    "a": "youth", "b": "youth", "c": "youth", "d": "youth", "j": "youth",
    "e": "adult", "f": "adult", "g": "adult",
}  # fmt: skip
AUDIENCE_UNIMARC = {"youth": "a", "adult": "m", "unknown": "u"}
AUDIENCE_MARC21 = {"youth": "j", "adult": "e", "unknown": " "}

# Identifier fields → scheme of the "scheme:value" strings of RecordData.identifiers.
UNIMARC_IDENTIFIERS = {"011": "issn", "013": "ismn", "016": "isrc", "071": "editeur",
                       "072": "upc", "073": "ean"}  # fmt: skip
MARC21_024_SCHEMES = {"0": "isrc", "1": "upc", "2": "ismn", "3": "ean", "4": "sici"}
