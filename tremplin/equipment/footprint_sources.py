"""The starting footprint reference table: public French figures, written into the
database by migration 0002 and editable by HR afterwards (Matériel › Empreinte).

These are orders of magnitude, not measurements of our own devices. The figures ADEME
publishes cover the whole life cycle, of which manufacturing is most (about three
quarters for a smartphone, two thirds for a laptop): they are used here as the
manufacturing figure, which slightly overstates it, and say so in their source text.
Manufacturers' own figures for recent models are of the same order or higher.
"""

REFERENCES = [
    {
        "kind": "smartphone",
        "manufacturing_kg": "85",
        "expected_years": 3,
        "source": (
            "ADEME : environ 85 kg CO₂e pour un smartphone, chiffre donné par le pôle "
            "numérique de l'ADEME en 2023 en corrigeant celui du site impactco2.fr "
            "(31 kg) ; la fabrication en fait l'essentiel. Les fabricants publient de 22 à "
            "85 kg selon les modèles. Durée de 3 ans : usage professionnel courant."
        ),
    },
    {
        "kind": "tablet",
        "manufacturing_kg": "86",
        "expected_years": 4,
        "source": (
            "ADEME, analyses de cycle de vie des équipements numériques : environ 86 kg "
            "CO₂e sur la vie d'une tablette, fabrication comprise (l'essentiel). Durée de "
            "4 ans : hypothèse à ajuster selon le parc."
        ),
    },
    {
        "kind": "laptop",
        "manufacturing_kg": "156",
        "expected_years": 5,
        "source": (
            "ADEME, « La face cachée du numérique » : 156 kg CO₂e sur le cycle de vie d'un "
            "ordinateur portable, dont les deux tiers à la fabrication. Les bilans des "
            "fabricants donnent 200 à 300 kg pour un modèle d'entrée de gamme. Durée de "
            "5 ans : amortissement courant du matériel informatique."
        ),
    },
    {
        "kind": "kiosk_tablet",
        "manufacturing_kg": "86",
        "expected_years": 4,
        "source": (
            "Même référence que la tablette (ADEME, environ 86 kg CO₂e) : une tablette "
            "partagée est une tablette ordinaire posée sur un site."
        ),
    },
]
