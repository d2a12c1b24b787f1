"""The user charter an agent accepts before receiving a device: short sentences in plain
French, shown on the handover page, on "Mon matériel" and printed on the receipt.
Changing the text means a new CHARTER_VERSION: each allocation keeps the version the
agent accepted."""

CHARTER_VERSION = "2026-1"

CHARTER_TITLE = "Charte d'utilisation du matériel"

CHARTER_PARAGRAPHS = [
    "Cet appareil appartient à la collectivité. Elle vous le prête pour votre travail.",
    "Il sert à votre travail et à vous former au numérique. Vous pouvez aussi l'utiliser "
    "un peu pour vous, sans rien installer de dangereux.",
    "Prenez-en soin. Gardez-le dans sa coque. Ne le laissez pas seul dans un lieu public.",
    "Verrouillez-le avec un code. Ne donnez ce code à personne.",
    "En cas de perte, de vol ou de panne, prévenez tout de suite votre responsable ou le "
    "service formation. Vous n'aurez pas à payer une panne.",
    "Ne le prêtez pas. Ne le donnez pas. Ne le revendez pas.",
    "Quand vous partez ou changez de poste, rendez-le avec son chargeur.",
    "Nous le gardons le plus longtemps possible : c'est bon pour la planète. Nous le "
    "réparons avant de le remplacer.",
]
