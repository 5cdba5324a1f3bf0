"""The Roannais history (2005–2013): its one source, its dates, and what is assumed.

The only source is the experience sheet on Roanne Territoire published on the
villes-campagnes theme and updated in April 2013 (`SHEET`). Every event of the
demo cites it, with the section it comes from, in the event's metadata; where
the sheet is silent the event lists what was supposed (its `assumptions`), and
the data says "nom non publié" or leaves the amount unknown rather than invent.

Dates. The sheet gives: association founded in 2005; the agglomeration's
opening in 2008; the four partners from 2009, the Pays joining in 2009 ("Date
de début : 2009"); the chargé de mission recruited in January 2011; CIDER
created in 2011; seven Viandes candidacies at the end of 2011; the 6th axis at
the end of 2012; the sheet itself is dated April 2013. Every exact day below is
therefore an assumption, named in the constants that follow. Facts the sheet
states only as true "today" (the State's support, the 20+ companies of the
écologie industrielle project, the perimeter, the Région as permanent invitee,
Georges Bernat as president of the Pays) are dated on the sheet's update,
April 2013.

Not recorded, because the sheet does not say it: any sitting of the bureau,
any vote, who took part in any decision; when the bodies were constituted; the
outcome of the Massif Central AMI; which of the seven Viandes candidates were
selected (candidates 1–4 are chosen, arbitrarily, and the assumptions say so);
any amount; the form of the State's support. Jérôme Dubuis (chargé de mission
économie, Roannais Pays de Rhône-Alpes) is the sheet's contact person; the sheet
does not say he sits in a body, so he is not seated.
"""

from datetime import date

# --- Effective dates (all exact days are assumptions; see the module docstring) -------------
ASSOCIATION_FOUNDED = date(2005, 1, 1)  # "fondée en 2005": year only
PROGRAMME_START = date(2009, 1, 15)  # "à partir de 2009": partners, bodies, seats
FILIERES_LAUNCHED = date(2009, 6, 15)  # the five filières: 2009, day assumed
AGGLOMERATION_OPENING = date(2008, 1, 1)  # "en 2008 au début de son mandat": year only
PAYS_JOINED = PROGRAMME_START  # "l'intégration du pays dans Roanne Territoire en 2009"
# "invitée permanente du bureau": undated; the sheet presents it as a strengthening of the
# initial governance, true at its date: recorded then, not with the 2009 set-up.
REGION_INVITED = date(2013, 4, 1)
COORDINATOR_RECRUITED = date(2011, 1, 3)  # "recruté en janvier 2011": day assumed
BOIS_2011 = date(2011, 3, 1)  # Bois network and recruitment actions: undated
CIDER_CREATED = date(2011, 6, 1)  # "créé en 2011": year only
DECONSTRUCTION_APPROVED = date(2011, 9, 15)  # undated
VIANDES_CALL_LAUNCHED = date(2011, 9, 15)  # "appel à projet" of 2011: undated
VIANDES_CALL_CLOSES = date(2011, 12, 16)  # "fin 2011"
VIANDES_CANDIDACIES = date(2011, 12, 1)  # "Sept candidats ont candidaté fin 2011"
VIANDES_DECIDED = date(2012, 1, 20)  # selection, end 2011 → early 2012: day assumed
ECOLOGIE_PROPOSED = date(2011, 10, 3)  # undated
AMI_OPENS = date(2012, 3, 1)  # Massif Central AMI: undated in the sheet
AMI_CLOSES = date(2012, 6, 29)
AMI_ANSWERED = date(2012, 6, 15)
BOIS_2012 = date(2012, 4, 2)  # écoconstruction, ENISE, wood-energy survey: undated
AXIS_LAUNCHED = date(2012, 12, 3)  # "fin 2012": day assumed
SHEET_UPDATED = date(2013, 4, 1)  # "Date de mise à jour : avril 2013"

# --- The source ------------------------------------------------------------------------------
SHEET = (
    "Fiche d'expérience « L'association Roanne Territoire : une coopération multi partenariale"
    " en faveur du développement économique du Roannais » (thème villes-campagnes, mise à jour"
    " avril 2013)"
)
"""The sheet as a reader finds it: its title, theme and date."""
CONTEXTE = "Contexte"
OBJECTIFS = "Objectifs visés"
PRESENTATION = "Présentation résumée"
CONTACTS = "Pour en savoir plus"
DATES = "Dates du projet"
NUMERIQUE = "Résultats obtenus – Filière Numérique"
DECONSTRUCTION = "Résultats obtenus – Filière Déconstruction des matériels lourds"
BOIS = "Résultats obtenus – Filière Bois"
VIANDES = "Résultats obtenus – Filière Viandes"
ECOLOGIE = "Résultats obtenus – Filière Ecologie industrielle"
POINTS_INTERET = "Points d'intérêts"
ENSEIGNEMENTS = "Enseignements"

# --- What the sheet does not say, assumed once and cited by every event resting on it ---------
BUREAU_DECIDERS_UNKNOWN = (
    "La fiche ne rapporte aucune séance du bureau ni aucun vote et ne nomme personne ayant pris"
    " part à cette décision : elle est attribuée au bureau (« véritable instance décisionnelle »),"
    " en séance non publiée, sans nommer de décideur."
)
DAY_ASSUMED = "La fiche date {what} sans donner le jour : le {day} est supposé."
REGISTERED_WHEN_NAMED = (
    "La fiche ne dit pas quand l'organisation est entrée en relation avec l'association :"
    " elle est enregistrée à la date où la fiche la fait intervenir."
)
CONSTITUTION_UNKNOWN = "La fiche ne date pas la constitution de l'instance : date inconnue."


def day_assumed(what: str, day: date) -> str:
    """`what` the sheet dates by its year or season only (« l'ouverture … de 2008 »), and the
    day supposed."""
    return DAY_ASSUMED.format(what=what, day=day.isoformat())


# --- People (the sheet names only Georges Bernat; the others are placeholders) --------------
PARTNERS = {
    "grand_roanne": "Grand Roanne Agglomération",
    "cci": "Chambre de Commerce et d'Industrie du Roannais",
    "agence_loire": "Agence du Développement Économique de la Loire",
    "pays": "Roannais Pays de Rhône-Alpes",
}
PRESIDENTS = {
    "grand_roanne": "Président(e) de Grand Roanne Agglomération (nom non publié)",
    "cci": "Président(e) de la Chambre de Commerce et d'Industrie du Roannais (nom non publié)",
    "agence_loire": (
        "Président(e) de l'Agence du Développement Économique de la Loire (nom non publié)"
    ),
    # Until the sheet's date: "Georges Bernat – Président Roannais Pays de Rhône-Alpes" is
    # true in April 2013; who presided before is not said.
    "pays": "Président(e) de Roannais Pays de Rhône-Alpes avant avril 2013 (nom non publié)",
}
PAYS_PRESIDENT_2013 = "Georges Bernat"
DIRECTORS = {
    key: f"Directeur(trice) ou représentant(e) de {name} (nom non publié)"
    for key, name in PARTNERS.items()
}
COORDINATOR = "Chargé(e) de mission filières (nom non publié)"
REGION_INVITEE = "Représentant(e) de la Région Rhône-Alpes (nom non publié)"
BUREAU_VOTERS = tuple(PRESIDENTS.values())
VIANDES_CANDIDATES = tuple(f"Candidat {n} (nom non publié)" for n in range(1, 8))

# Chef de file of each filière: the sheet says only that each partner leads at least one.
LEAD_PARTNERS = {
    "numerique": "grand_roanne",  # Numériparc is the agglomeration's business park
    "deconstruction": "agence_loire",  # an industrial-investment project
    "bois": "pays",  # a rural resource of the Pays
    "viandes": "pays",  # livestock farming, a rural activity of the Pays
    "ecologie_industrielle": "cci",  # companies' waste flows
    "marketing_territorial": "grand_roanne",  # with the Ville de Roanne
}
