"""Demo courses taught in Dutch and in French: the catalog's "Taught in" filter has something
to filter, and a newcomer sees course content in another language than the page around it.

A course's content is written once, in the course's language (docs/translation.md).
"""

from __future__ import annotations

GDPR_NL = {
    "slug": "avg-voor-opleidingsaanbieders",
    "language": "nl",
    "title": "De AVG voor opleidingsaanbieders",
    "summary": "Wat de AVG van een opleidingsaanbieder vraagt: de rechtsgrond voor elk gebruik "
    "van gegevens van cursisten, en een verzoek om inzage op tijd beantwoorden.",
    "description": (
        "Een opleidingsaanbieder bewaart veel persoonsgegevens: inschrijvingen, voortgang, "
        "antwoorden op toetsen en certificaten.\n\n"
        "Deze korte cursus zet de beginselen van de Algemene Verordening Gegevensbescherming "
        "op een rij voor wie cursisten inschrijft, begeleidt of beoordeelt."
    ),
    "cpd_hours": "1.5",
    "course_type": "vocational",
    "pass_mark": 70,
    "certificate_validity_months": 24,
    "max_attempts": 3,
    "entry_requirements": "Geen.",
    "modules": [
        {
            "title": "Beginselen en rechtsgronden",
            "lessons": [
                {
                    "title": "Waarom gegevensbescherming ertoe doet",
                    "minutes": 10,
                    "body": """\
Een cursist die zich bij u inschrijft, vertrouwt u meer toe dan een naam en een e-mailadres. In
de loop van een cursus bouwt u een overzicht op van wat hij of zij heeft gestudeerd, wanneer, en
hoe de toetsen verliepen.

De AVG vraagt dat u voor elk gebruik van die gegevens een rechtsgrond hebt, dat u niet meer
bewaart dan nodig, en dat u cursisten uitlegt wat u met hun gegevens doet.
""",
                },
                {
                    "title": "Een verzoek om inzage beantwoorden",
                    "minutes": 10,
                    "body": """\
Elke cursist mag vragen welke gegevens u over hem of haar bewaart. U antwoordt binnen een
maand, kosteloos, en in een vorm die de cursist kan lezen.

Noteer de datum van het verzoek, controleer wie het vraagt, en verzamel de gegevens uit elk
systeem waar ze staan.
""",
                },
            ],
        }
    ],
}

GDPR_FR = {
    "slug": "rgpd-pour-les-organismes-de-formation",
    "language": "fr",
    "title": "Le RGPD pour les organismes de formation",
    "summary": "Ce que le RGPD attend d'un organisme de formation : la base juridique de chaque "
    "utilisation des données des apprenants, et une demande d'accès traitée dans les délais.",
    "description": (
        "Un organisme de formation conserve beaucoup de données à caractère personnel : "
        "inscriptions, progression, réponses aux évaluations et certificats.\n\n"
        "Ce cours court présente les principes du Règlement général sur la protection des "
        "données à celles et ceux qui inscrivent, accompagnent ou évaluent des apprenants."
    ),
    "cpd_hours": "1.5",
    "course_type": "vocational",
    "pass_mark": 70,
    "certificate_validity_months": 24,
    "max_attempts": 3,
    "entry_requirements": "Aucun.",
    "modules": [
        {
            "title": "Principes et bases juridiques",
            "lessons": [
                {
                    "title": "Pourquoi la protection des données compte",
                    "minutes": 10,
                    "body": """\
Un apprenant qui s'inscrit chez vous vous confie plus qu'un nom et une adresse e-mail. Au fil
du cours, vous constituez un relevé de ce qu'il a étudié, quand, et de ses résultats aux
évaluations.

Le RGPD exige une base juridique pour chaque utilisation de ces données, de ne conserver que le
nécessaire, et d'expliquer aux apprenants ce que vous faites de leurs données.
""",
                },
                {
                    "title": "Répondre à une demande d'accès",
                    "minutes": 10,
                    "body": """\
Chaque apprenant peut demander quelles données vous conservez à son sujet. Vous répondez dans
un délai d'un mois, gratuitement, sous une forme lisible.

Notez la date de la demande, vérifiez l'identité du demandeur, et rassemblez les données de
chaque système où elles se trouvent.
""",
                },
            ],
        }
    ],
}

OTHER_LANGUAGE_COURSES = [GDPR_NL, GDPR_FR]
