"""Words the dataset generator draws from: names from several cultures and their usual spelling variants,
countries, ministries, incidents, topics and claim templates in English, French and Dutch."""

from __future__ import annotations

FIRST_NAMES = [
    "Jan", "Koen", "Charles", "Sophie", "Marie", "Ahmed", "Fatima", "Pieter", "Elke", "Luc", "Hilde", "Jean",
    "Claire", "Mohamed", "Yasmine", "Bart", "Annelies", "Didier", "Laurence", "Karim", "Nadia", "Tom", "Sarah",
    "Ibrahim", "Olivier", "Veerle", "Geert", "Inès", "Hugo", "Lotte", "José", "Zoë", "Çağla", "Mehmet", "Ayşe",
    "Łukasz", "Agnieszka", "Jiří", "Eleni", "Giorgos", "Søren", "Åsa", "Björn", "Joëlle", "François", "Zoltán",
    "Dragoș", "Ioana", "Miguel", "Lucía", "Giulia", "Matteo", "Hans", "Jürgen", "Anouk", "Sven", "Youssef",
    "Khadija", "Rachid", "Nour",
]  # fmt: skip
SURNAMES = [
    "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet",
    "Dubois", "Lambert", "Dupont", "Martin", "Simon", "Laurent", "Leroy", "El Amrani", "Benali", "Vermeulen",
    "Van Damme", "Desmet", "Michiels", "Hermans", "Lemmens", "Cools", "Aerts", "El Bakraoui", "Haddad", "Tahiri",
    "Öztürk", "Yılmaz", "Kowalski", "Nowak", "Dvořák", "Papadopoulos", "Müller", "Schäfer", "García", "Fernández",
    "Rossi", "Bianchi", "Nielsen", "Lindqvist", "Popescu", "Nagy", "Van den Bossche", "de Wever", "Le Pen",
    "Al-Hassan", "Abdeslam", "Bouzid", "Chaouki", "Lefèvre", "Moreau", "Janssen", "De Vries", "Bakker",
]  # fmt: skip
# Spelling and transliteration habits of reporting: El Bakraoui / al-Bakrawi / Bakraoui.
TRANSLITERATIONS = [("aou", "aw"), ("El ", "al-"), ("Al-", "el "), ("ö", "oe"), ("ü", "ue"), ("ş", "s"), ("ı", "i")]

COUNTRIES = [
    ("BE", "Belgium", "be"), ("FR", "France", "fr"), ("NL", "Netherlands", "nl"), ("DE", "Germany", "de"),
    ("ES", "Spain", "es"), ("IT", "Italy", "it"), ("TR", "Turkey", "tr"), ("GR", "Greece", "gr"),
    ("PL", "Poland", "pl"), ("SE", "Sweden", "se"), ("PT", "Portugal", "pt"), ("AT", "Austria", "at"),
    ("DK", "Denmark", "dk"), ("IE", "Ireland", "ie"), ("CZ", "Czechia", "cz"), ("HU", "Hungary", "hu"),
    ("RO", "Romania", "ro"), ("FI", "Finland", "fi"), ("NO", "Norway", "no"), ("CH", "Switzerland", "ch"),
    ("GB", "United Kingdom", "uk"), ("LU", "Luxembourg", "lu"), ("SK", "Slovakia", "sk"), ("SI", "Slovenia", "si"),
    ("HR", "Croatia", "hr"), ("BG", "Bulgaria", "bg"), ("LT", "Lithuania", "lt"), ("LV", "Latvia", "lv"),
    ("EE", "Estonia", "ee"), ("CY", "Cyprus", "cy"),
]  # fmt: skip
MINISTRIES = [
    ("Interior", "interior minister"), ("Justice", "justice minister"), ("Defence", "defence minister"),
    ("Health", "health minister"), ("Transport", "transport minister"), ("Finance", "finance minister"),
    ("Foreign Affairs", "foreign minister"), ("Education", "education minister"), ("Energy", "energy minister"),
    ("Agriculture", "agriculture minister"),
]  # fmt: skip
AGENCIES = ["Federal Police", "State Security", "Prison Service", "Food Safety Agency", "Rail Infrastructure"]
PARTIES = ["Christian Democrats", "Liberals", "Socialists", "Greens", "Nationalists"]
NEWSPAPER_WORDS = ["Courier", "Standard", "Morning Post", "Tribune", "Herald", "Journal", "Gazette", "Observer"]

INCIDENT_KINDS = {
    "en": ["bombing", "flood", "train crash", "hospital outbreak", "bridge collapse", "prison escape", "data leak"],
    "fr": ["attentat", "inondation", "accident ferroviaire", "épidémie à l'hôpital", "effondrement du pont"],
    "nl": ["aanslag", "overstroming", "treinramp", "uitbraak in het ziekenhuis", "instorting van de brug"],
}
PLACES = ["Zaventem", "Maelbeek", "Liège", "Gent", "Antwerpen", "Lyon", "Marseille", "Rotterdam", "Köln", "Sevilla"]

TOPICS = {
    "en": [
        "the airport security checks", "the prison release", "the flood defences", "the intelligence warnings",
        "the train signalling", "the border controls", "the bridge inspection", "the vaccine procurement",
        "the police raid", "the water contamination", "the parole decision", "the deportation file",
    ],
    "fr": [
        "les contrôles de sécurité à l'aéroport", "la libération conditionnelle", "les digues",
        "les avertissements des services de renseignement", "la signalisation ferroviaire",
        "les contrôles aux frontières",
        "l'inspection du pont", "le dossier d'expulsion",
    ],
    "nl": [
        "de veiligheidscontroles op de luchthaven", "de voorwaardelijke vrijlating", "de dijken",
        "de waarschuwingen van de inlichtingendiensten", "de treinseinen", "de grenscontroles",
        "de inspectie van de brug", "het uitwijzingsdossier",
    ],
}  # fmt: skip
CLAIM_TEMPLATES = {
    "en": [
        "{org} ignored warnings about {topic} months before the {incident}.",
        "{person} knew about {topic} and did nothing before the {incident}.",
        "The {incident} could have been prevented if {org} had acted on {topic}.",
        "{person} misled parliament about {topic} after the {incident}.",
        "{org} cut the budget for {topic} {number} months before the {incident}.",
        "{person} was warned {number} times about {topic}.",
        "Officials at {org} deleted reports on {topic} after the {incident}.",
        "Only {number} staff were assigned to {topic} when the {incident} happened.",
    ],
    "fr": [
        "{org} a ignoré les alertes sur {topic} des mois avant l'{incident}.",
        "{person} était au courant pour {topic} et n'a rien fait avant l'{incident}.",
        "{person} a été averti {number} fois au sujet de {topic}.",
        "{org} a réduit le budget pour {topic} {number} mois avant l'{incident}.",
    ],
    "nl": [
        "{org} negeerde waarschuwingen over {topic} maanden voor de {incident}.",
        "{person} wist van {topic} en deed niets voor de {incident}.",
        "{person} werd {number} keer gewaarschuwd over {topic}.",
        "{org} schrapte het budget voor {topic} {number} maanden voor de {incident}.",
    ],
}  # fmt: skip
SOURCE_SENTENCES = {
    "en": [
        "{person} offered to resign on {day}, but the prime minister refused the offer.",
        "The government met in emergency session after the {incident}.",
        "Opposition parties demanded a full explanation from {org} in parliament.",
        "{person} said: \"I take political responsibility for {topic}.\"",
        "Internal documents seen by the newspaper show that {org} knew about {topic}.",
        "Residents described scenes of confusion in the hours after the {incident}.",
        "A spokesperson for {org} declined to comment further.",
    ],
    "fr": [
        "{person} a présenté sa démission le {day}, mais le Premier ministre l'a refusée.",
        "Le gouvernement s'est réuni en urgence après l'{incident}.",
        "L'opposition exige des explications de {org} au parlement.",
        "Selon des documents internes, {org} était au courant pour {topic}.",
    ],
    "nl": [
        "{person} bood op {day} het ontslag aan, maar de premier weigerde.",
        "De regering kwam in spoedberaad bijeen na de {incident}.",
        "De oppositie eist uitleg van {org} in het parlement.",
        "Volgens interne documenten wist {org} van {topic}.",
    ],
    "de": [
        "{person} bot am {day} den Rücktritt an, doch der Regierungschef lehnte ab.",
        "Die Opposition verlangt Aufklärung von {org} über {topic}.",
    ],
}  # fmt: skip
HEADLINES = {
    "en": "{person} under pressure over {topic}",
    "fr": "{person} sous pression après l'{incident}",
    "nl": "{person} onder vuur na de {incident}",
    "de": "{person} unter Druck wegen {topic}",
}
DAYS = {"en": "Thursday", "fr": "jeudi", "nl": "donderdag", "de": "Donnerstag"}
