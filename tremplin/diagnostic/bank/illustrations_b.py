"""Illustrations of domains 3 to 5 (names prefixed "b_"), drawn by hand for the item bank.

Every SVG is sized by the page (viewBox, no width or height), uses a high-contrast palette
(dark text on white, buttons #0b5a78 with white text) and text of at least 14 units. The
tappable zones are <g id="…"> groups: each starts with a filled hit area as large as a finger
(white, or fully transparent where it lies over the drawing), so the whole zone answers a tap,
not only the thin lines of its icon. An SVG may hold more zones than an item lists as choices.
"""

SVG: dict[str, str] = {
    # Used by 4.1 (padlock) and 5.1 (reload).
    "b_barre_adresse": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 160" role="img" font-family="sans-serif">
<title>Haut d'un navigateur internet : une flèche ronde pour recharger la page, puis la barre d'adresse avec un cadenas et l'adresse banque-exemple.fr, puis une étoile pour les favoris.</title>
<rect x="1" y="1" width="358" height="158" rx="8" fill="#ffffff" stroke="#1a1a1a" stroke-width="2"/>
<rect x="2" y="2" width="356" height="66" rx="7" fill="#eef1f3"/>
<g id="recharger">
<rect x="6" y="12" width="48" height="46" rx="8" fill="#ffffff" stroke="#767676"/>
<path d="M39 35 a9 9 0 1 1 -3.5 -7.1" fill="none" stroke="#1a1a1a" stroke-width="3" stroke-linecap="round"/>
<polygon points="31,23 41,23 39,33" fill="#1a1a1a"/>
</g>
<rect x="60" y="12" width="240" height="46" rx="23" fill="#ffffff" stroke="#767676"/>
<g id="cadenas">
<rect x="64" y="14" width="34" height="42" rx="17" fill="#ffffff"/>
<path d="M76 35 v-5 a5 5 0 0 1 10 0 v5" fill="none" stroke="#1a1a1a" stroke-width="2.5"/>
<rect x="72" y="34" width="18" height="14" rx="2" fill="#1a1a1a"/>
</g>
<g id="adresse">
<rect x="100" y="14" width="176" height="42" fill="#ffffff"/>
<text x="104" y="41" font-size="17" fill="#1a1a1a">banque-exemple.fr</text>
</g>
<g id="favori">
<rect x="306" y="12" width="48" height="46" rx="8" fill="#ffffff" stroke="#767676"/>
<polygon points="330,21 334.5,30.5 345,31.5 337,38.5 339.5,49 330,43.5 320.5,49 323,38.5 315,31.5 325.5,30.5" fill="none" stroke="#1a1a1a" stroke-width="2.5" stroke-linejoin="round"/>
</g>
<text x="20" y="104" font-size="20" font-weight="bold" fill="#1a1a1a">Ma banque</text>
<rect x="20" y="118" width="150" height="32" rx="6" fill="#0b5a78"/>
<text x="95" y="139" font-size="16" fill="#ffffff" text-anchor="middle">Se connecter</text>
</svg>""",
    # Used by 4.3 (battery).
    "b_barre_etat": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 130" role="img" font-family="sans-serif">
<title>Haut de l'écran d'un téléphone, en grand : l'heure 09:41, puis l'icône du Wi-Fi, les barres du réseau mobile et l'icône de la batterie.</title>
<rect x="4" y="4" width="352" height="122" rx="24" fill="#ffffff" stroke="#1a1a1a" stroke-width="3"/>
<g id="heure">
<rect x="18" y="30" width="110" height="70" rx="8" fill="#ffffff"/>
<text x="26" y="76" font-size="30" font-weight="bold" fill="#1a1a1a">09:41</text>
</g>
<g id="wifi">
<rect x="150" y="30" width="62" height="70" rx="8" fill="#ffffff"/>
<path d="M160 58 a30 30 0 0 1 42 0" fill="none" stroke="#1a1a1a" stroke-width="4" stroke-linecap="round"/>
<path d="M167 66 a20 20 0 0 1 28 0" fill="none" stroke="#1a1a1a" stroke-width="4" stroke-linecap="round"/>
<path d="M174 74 a10 10 0 0 1 14 0" fill="none" stroke="#1a1a1a" stroke-width="4" stroke-linecap="round"/>
<circle cx="181" cy="82" r="3.5" fill="#1a1a1a"/>
</g>
<g id="reseau">
<rect x="218" y="30" width="52" height="70" rx="8" fill="#ffffff"/>
<rect x="226" y="76" width="7" height="10" fill="#1a1a1a"/>
<rect x="236" y="69" width="7" height="17" fill="#1a1a1a"/>
<rect x="246" y="62" width="7" height="24" fill="#1a1a1a"/>
<rect x="256" y="55" width="7" height="31" fill="#1a1a1a"/>
</g>
<g id="batterie">
<rect x="276" y="30" width="72" height="70" rx="8" fill="#ffffff"/>
<rect x="282" y="52" width="50" height="26" rx="4" fill="#ffffff" stroke="#1a1a1a" stroke-width="3"/>
<rect x="333" y="59" width="5" height="12" rx="1" fill="#1a1a1a"/>
<rect x="286" y="56" width="14" height="18" fill="#1a1a1a"/>
</g>
</svg>""",
    # Used by 3.1 (bold, bulleted list).
    "b_outils_texte": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 170" role="img" font-family="sans-serif">
<title>Barre d'outils d'un traitement de texte, avec six boutons : G, I penché, S souligné, une liste avec des points, des lignes centrées, une disquette. Dessous, le début d'un compte rendu.</title>
<rect x="0" y="0" width="360" height="70" fill="#eef1f3"/>
<g id="gras">
<rect x="8" y="10" width="52" height="50" rx="6" fill="#ffffff" stroke="#767676"/>
<text x="34" y="45" font-size="26" font-weight="bold" fill="#1a1a1a" text-anchor="middle">G</text>
</g>
<g id="italique">
<rect x="66" y="10" width="52" height="50" rx="6" fill="#ffffff" stroke="#767676"/>
<text x="92" y="45" font-size="26" font-style="italic" fill="#1a1a1a" text-anchor="middle">I</text>
</g>
<g id="souligne">
<rect x="124" y="10" width="52" height="50" rx="6" fill="#ffffff" stroke="#767676"/>
<text x="150" y="43" font-size="26" fill="#1a1a1a" text-anchor="middle">S</text>
<rect x="140" y="47" width="20" height="2.5" fill="#1a1a1a"/>
</g>
<g id="puces">
<rect x="182" y="10" width="52" height="50" rx="6" fill="#ffffff" stroke="#767676"/>
<circle cx="195" cy="24" r="3" fill="#1a1a1a"/>
<circle cx="195" cy="35" r="3" fill="#1a1a1a"/>
<circle cx="195" cy="46" r="3" fill="#1a1a1a"/>
<rect x="202" y="22.5" width="22" height="3" fill="#1a1a1a"/>
<rect x="202" y="33.5" width="22" height="3" fill="#1a1a1a"/>
<rect x="202" y="44.5" width="22" height="3" fill="#1a1a1a"/>
</g>
<g id="centrer">
<rect x="240" y="10" width="52" height="50" rx="6" fill="#ffffff" stroke="#767676"/>
<rect x="252" y="21" width="28" height="3" fill="#1a1a1a"/>
<rect x="258" y="29" width="16" height="3" fill="#1a1a1a"/>
<rect x="252" y="37" width="28" height="3" fill="#1a1a1a"/>
<rect x="258" y="45" width="16" height="3" fill="#1a1a1a"/>
</g>
<g id="enregistrer">
<rect x="298" y="10" width="52" height="50" rx="6" fill="#ffffff" stroke="#767676"/>
<path d="M311 20 h21 l6 6 v24 h-27 z" fill="#1a1a1a"/>
<rect x="316" y="21" width="13" height="9" fill="#ffffff"/>
<rect x="315" y="37" width="19" height="11" fill="#ffffff"/>
</g>
<rect x="8" y="80" width="344" height="84" fill="#ffffff" stroke="#767676"/>
<text x="20" y="108" font-size="18" font-weight="bold" fill="#1a1a1a">Compte rendu du 12 mars</text>
<text x="20" y="136" font-size="16" fill="#1a1a1a">Le banc du parc est cassé.</text>
</svg>""",
    # Used by 4.1 (updates), 4.2 (location), 5.1 (Wi-Fi) and 5.2 (apps).
    "b_parametres": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 400" role="img" font-family="sans-serif">
<title>Écran Paramètres d'un téléphone. Liste des réglages : Wi-Fi, Mode avion, Bluetooth, Localisation, Applications, Batterie, Mise à jour du logiciel.</title>
<rect x="0" y="0" width="360" height="400" fill="#ffffff"/>
<text x="12" y="32" font-size="22" font-weight="bold" fill="#1a1a1a">Paramètres</text>
<g id="wifi">
<rect x="6" y="48" width="348" height="44" rx="6" fill="#ffffff" stroke="#767676"/>
<path d="M18 70 a16 16 0 0 1 22 0" fill="none" stroke="#0b5a78" stroke-width="3" stroke-linecap="round"/>
<path d="M22.5 75 a9 9 0 0 1 13 0" fill="none" stroke="#0b5a78" stroke-width="3" stroke-linecap="round"/>
<circle cx="29" cy="80" r="2.5" fill="#0b5a78"/>
<text x="54" y="76" font-size="17" fill="#1a1a1a">Wi-Fi</text>
<text x="338" y="76" font-size="18" fill="#1a1a1a" text-anchor="end">›</text>
</g>
<g id="avion">
<rect x="6" y="96" width="348" height="44" rx="6" fill="#ffffff" stroke="#767676"/>
<path d="M29 104 v28 M17 119 l12 -5 l12 5 M22 132 l7 -3 l7 3" fill="none" stroke="#0b5a78" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>
<text x="54" y="124" font-size="17" fill="#1a1a1a">Mode avion</text>
<text x="338" y="124" font-size="18" fill="#1a1a1a" text-anchor="end">›</text>
</g>
<g id="bluetooth">
<rect x="6" y="144" width="348" height="44" rx="6" fill="#ffffff" stroke="#767676"/>
<path d="M22 158 l14 14 l-7 6 v-28 l7 6 l-14 14" fill="none" stroke="#0b5a78" stroke-width="2.5" stroke-linejoin="round"/>
<text x="54" y="172" font-size="17" fill="#1a1a1a">Bluetooth</text>
<text x="338" y="172" font-size="18" fill="#1a1a1a" text-anchor="end">›</text>
</g>
<g id="localisation">
<rect x="6" y="192" width="348" height="44" rx="6" fill="#ffffff" stroke="#767676"/>
<path d="M29 228 c-8 -10 -11 -14 -11 -19 a11 11 0 0 1 22 0 c0 5 -3 9 -11 19 z" fill="#0b5a78"/>
<circle cx="29" cy="209" r="4" fill="#ffffff"/>
<text x="54" y="220" font-size="17" fill="#1a1a1a">Localisation</text>
<text x="338" y="220" font-size="18" fill="#1a1a1a" text-anchor="end">›</text>
</g>
<g id="applis">
<rect x="6" y="240" width="348" height="44" rx="6" fill="#ffffff" stroke="#767676"/>
<rect x="19" y="252" width="9" height="9" rx="2" fill="#0b5a78"/>
<rect x="31" y="252" width="9" height="9" rx="2" fill="#0b5a78"/>
<rect x="19" y="264" width="9" height="9" rx="2" fill="#0b5a78"/>
<rect x="31" y="264" width="9" height="9" rx="2" fill="#0b5a78"/>
<text x="54" y="268" font-size="17" fill="#1a1a1a">Applications</text>
<text x="338" y="268" font-size="18" fill="#1a1a1a" text-anchor="end">›</text>
</g>
<g id="batterie">
<rect x="6" y="288" width="348" height="44" rx="6" fill="#ffffff" stroke="#767676"/>
<rect x="23" y="299" width="12" height="22" rx="2" fill="none" stroke="#0b5a78" stroke-width="2.5"/>
<rect x="26" y="296" width="6" height="3" fill="#0b5a78"/>
<rect x="26" y="309" width="6" height="9" fill="#0b5a78"/>
<text x="54" y="316" font-size="17" fill="#1a1a1a">Batterie</text>
<text x="338" y="316" font-size="18" fill="#1a1a1a" text-anchor="end">›</text>
</g>
<g id="maj">
<rect x="6" y="336" width="348" height="44" rx="6" fill="#ffffff" stroke="#767676"/>
<path d="M38 352 a10 10 0 0 0 -18 4 M20 364 a10 10 0 0 0 18 -4" fill="none" stroke="#0b5a78" stroke-width="2.5" stroke-linecap="round"/>
<polygon points="36,346 41,354 33,355" fill="#0b5a78"/>
<polygon points="22,370 17,362 25,361" fill="#0b5a78"/>
<text x="54" y="364" font-size="17" fill="#1a1a1a">Mise à jour du logiciel</text>
<text x="338" y="364" font-size="18" fill="#1a1a1a" text-anchor="end">›</text>
</g>
</svg>""",
    # Used by 4.1 (the sender's real address).
    "b_message_suspect": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 300" role="img" font-family="sans-serif">
<title>Un e-mail reçu. De : Service Paie - Ville, adresse paie.ville@verif-compte.com. Objet : URGENT, salaire bloqué. Texte : Bonjour, votre salaire est bloqué. Cliquez avant ce soir. Un bouton : Vérifier mon compte.</title>
<rect x="1" y="1" width="358" height="298" rx="8" fill="#ffffff" stroke="#1a1a1a" stroke-width="2"/>
<text x="12" y="36" font-size="16" fill="#1a1a1a">De :</text>
<g id="nom">
<rect x="50" y="12" width="300" height="34" rx="4" fill="#ffffff"/>
<text x="56" y="36" font-size="17" font-weight="bold" fill="#1a1a1a">Service Paie - Ville</text>
</g>
<g id="adresse">
<rect x="50" y="48" width="300" height="34" rx="4" fill="#ffffff"/>
<text x="56" y="71" font-size="16" fill="#1a1a1a">paie.ville@verif-compte.com</text>
</g>
<rect x="10" y="88" width="340" height="1.5" fill="#767676"/>
<g id="objet">
<rect x="8" y="94" width="344" height="40" rx="4" fill="#ffffff"/>
<text x="12" y="120" font-size="17" font-weight="bold" fill="#1a1a1a">Objet : URGENT - Salaire bloqué</text>
</g>
<rect x="10" y="140" width="340" height="1.5" fill="#767676"/>
<text x="12" y="172" font-size="16" fill="#1a1a1a">Bonjour, votre salaire est bloqué.</text>
<text x="12" y="198" font-size="16" fill="#1a1a1a">Cliquez avant ce soir.</text>
<g id="bouton">
<rect x="12" y="226" width="250" height="52" rx="8" fill="#0b5a78"/>
<text x="137" y="258" font-size="18" fill="#ffffff" text-anchor="middle">Vérifier mon compte</text>
</g>
</svg>""",
    # Used by 5.1 (power button) and 5.2 (volume up).
    "b_boutons_telephone": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 310" role="img" font-family="sans-serif">
<title>Un téléphone vu de face. Sur le côté gauche, deux boutons, avec les signes plus et moins. Sur le côté droit, un bouton avec le symbole marche/arrêt (un rond coupé par un trait). En bas, la prise du chargeur, avec un éclair.</title>
<rect x="0" y="0" width="360" height="310" fill="#ffffff"/>
<rect x="120" y="16" width="120" height="254" rx="18" fill="#ffffff" stroke="#1a1a1a" stroke-width="3"/>
<rect x="131" y="38" width="98" height="200" rx="4" fill="#dfe8ec"/>
<g id="volume_plus">
<rect x="36" y="64" width="82" height="52" rx="8" fill="#ffffff" stroke="#767676"/>
<rect x="112" y="70" width="8" height="40" rx="2" fill="#1a1a1a"/>
<path d="M60 90 h22 M71 79 v22" stroke="#1a1a1a" stroke-width="4" stroke-linecap="round"/>
</g>
<g id="volume_moins">
<rect x="36" y="124" width="82" height="52" rx="8" fill="#ffffff" stroke="#767676"/>
<rect x="112" y="130" width="8" height="40" rx="2" fill="#1a1a1a"/>
<path d="M60 150 h22" stroke="#1a1a1a" stroke-width="4" stroke-linecap="round"/>
</g>
<g id="marche">
<rect x="242" y="84" width="82" height="60" rx="8" fill="#ffffff" stroke="#767676"/>
<rect x="240" y="92" width="8" height="44" rx="2" fill="#1a1a1a"/>
<path d="M279 104 a14 14 0 1 0 16 0" fill="none" stroke="#1a1a1a" stroke-width="4" stroke-linecap="round"/>
<path d="M287 98 v16" stroke="#1a1a1a" stroke-width="4" stroke-linecap="round"/>
</g>
<g id="prise">
<rect x="140" y="258" width="110" height="48" rx="8" fill="#ffffff" fill-opacity="0" stroke="#767676"/>
<rect x="164" y="266" width="32" height="9" rx="4" fill="#1a1a1a"/>
<polygon points="224,266 212,285 221,285 216,300 232,278 223,278 228,266" fill="#1a1a1a"/>
</g>
</svg>""",
    # Used by 3.2 (shutter button).
    "b_appareil_photo": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 420" role="img" font-family="sans-serif">
<title>Écran de l'appareil photo d'un téléphone. En haut à gauche, un éclair. Au milieu, l'image d'un banc. En bas : à gauche une petite image, au centre un grand bouton rond, à droite deux flèches qui tournent.</title>
<rect x="30" y="4" width="300" height="412" rx="20" fill="#ffffff" stroke="#1a1a1a" stroke-width="3"/>
<g id="flash">
<rect x="40" y="14" width="56" height="52" rx="8" fill="#ffffff" stroke="#767676"/>
<polygon points="72,20 56,44 67,44 62,60 80,36 69,36 75,20" fill="#1a1a1a"/>
</g>
<rect x="40" y="74" width="280" height="230" fill="#dfe8ec"/>
<rect x="40" y="250" width="280" height="54" fill="#b9d3b0"/>
<rect x="100" y="176" width="160" height="16" rx="3" fill="#6b4a2b"/>
<rect x="100" y="206" width="160" height="14" rx="3" fill="#6b4a2b"/>
<rect x="112" y="220" width="10" height="44" fill="#1a1a1a"/>
<rect x="238" y="220" width="10" height="44" fill="#1a1a1a"/>
<circle cx="282" cy="112" r="18" fill="#f2c230"/>
<g id="galerie">
<rect x="50" y="326" width="70" height="70" rx="8" fill="#ffffff" stroke="#767676"/>
<rect x="60" y="336" width="50" height="50" rx="4" fill="#dfe8ec" stroke="#1a1a1a" stroke-width="2"/>
<polygon points="62,384 78,360 90,374 98,366 108,384" fill="#1a1a1a"/>
</g>
<g id="declencheur">
<circle cx="180" cy="361" r="40" fill="#ffffff"/>
<circle cx="180" cy="361" r="34" fill="#ffffff" stroke="#1a1a1a" stroke-width="5"/>
<circle cx="180" cy="361" r="25" fill="#0b5a78"/>
</g>
<g id="retourner">
<rect x="240" y="326" width="70" height="70" rx="8" fill="#ffffff" stroke="#767676"/>
<path d="M292 354 a18 18 0 0 0 -33 2 M258 368 a18 18 0 0 0 33 -2" fill="none" stroke="#1a1a1a" stroke-width="3.5" stroke-linecap="round"/>
<polygon points="288,344 297,357 284,358" fill="#1a1a1a"/>
<polygon points="262,378 253,365 266,364" fill="#1a1a1a"/>
</g>
</svg>""",
    # Used by 3.3 (where to choose PDF).
    "b_enregistrer_sous": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 260" role="img" font-family="sans-serif">
<title>Fenêtre Enregistrer sous. Nom du fichier : courrier-famille. Type : Document Word (.docx), avec une flèche pour choisir un autre type. Deux boutons : Annuler et Enregistrer.</title>
<rect x="1" y="1" width="358" height="258" rx="8" fill="#ffffff" stroke="#1a1a1a" stroke-width="2"/>
<text x="14" y="32" font-size="20" font-weight="bold" fill="#1a1a1a">Enregistrer sous</text>
<g id="nom">
<rect x="8" y="44" width="344" height="68" rx="4" fill="#ffffff"/>
<text x="14" y="62" font-size="15" fill="#1a1a1a">Nom du fichier :</text>
<rect x="14" y="70" width="332" height="36" rx="4" fill="#ffffff" stroke="#1a1a1a" stroke-width="1.5"/>
<text x="22" y="94" font-size="16" fill="#1a1a1a">courrier-famille</text>
</g>
<g id="type">
<rect x="8" y="116" width="344" height="68" rx="4" fill="#ffffff"/>
<text x="14" y="134" font-size="15" fill="#1a1a1a">Type :</text>
<rect x="14" y="142" width="332" height="36" rx="4" fill="#ffffff" stroke="#1a1a1a" stroke-width="1.5"/>
<text x="22" y="166" font-size="16" fill="#1a1a1a">Document Word (.docx)</text>
<polygon points="318,155 334,155 326,165" fill="#1a1a1a"/>
</g>
<g id="annuler">
<rect x="14" y="198" width="156" height="48" rx="8" fill="#ffffff" stroke="#1a1a1a" stroke-width="2"/>
<text x="92" y="228" font-size="17" fill="#1a1a1a" text-anchor="middle">Annuler</text>
</g>
<g id="enregistrer">
<rect x="190" y="198" width="156" height="48" rx="8" fill="#0b5a78"/>
<text x="268" y="228" font-size="17" fill="#ffffff" text-anchor="middle">Enregistrer</text>
</g>
</svg>""",
    # Used by 3.2 (the photo) and 3.3 (the PDF).
    "b_liste_fichiers": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 290" role="img" font-family="sans-serif">
<title>Liste de quatre fichiers, chacun avec son icône : compte-rendu.docx, banc-parc.jpg, planning-juin.xlsx et note-service.pdf.</title>
<rect x="0" y="0" width="360" height="290" fill="#ffffff"/>
<g id="f_docx">
<rect x="6" y="8" width="348" height="62" rx="6" fill="#ffffff" stroke="#767676"/>
<path d="M18 16 h26 l10 10 v36 h-36 z" fill="#ffffff" stroke="#1a1a1a" stroke-width="2"/>
<rect x="24" y="32" width="24" height="2.5" fill="#1a1a1a"/>
<rect x="24" y="40" width="24" height="2.5" fill="#1a1a1a"/>
<rect x="24" y="48" width="16" height="2.5" fill="#1a1a1a"/>
<text x="68" y="45" font-size="17" fill="#1a1a1a">compte-rendu.docx</text>
</g>
<g id="f_jpg">
<rect x="6" y="78" width="348" height="62" rx="6" fill="#ffffff" stroke="#767676"/>
<rect x="16" y="88" width="40" height="42" rx="3" fill="#dfe8ec" stroke="#1a1a1a" stroke-width="2"/>
<circle cx="45" cy="99" r="5" fill="#1a1a1a"/>
<polygon points="18,128 32,106 42,120 48,114 54,128" fill="#1a1a1a"/>
<text x="68" y="115" font-size="17" fill="#1a1a1a">banc-parc.jpg</text>
</g>
<g id="f_xlsx">
<rect x="6" y="148" width="348" height="62" rx="6" fill="#ffffff" stroke="#767676"/>
<rect x="16" y="158" width="40" height="42" fill="#ffffff" stroke="#1a1a1a" stroke-width="2"/>
<path d="M16 172 h40 M16 186 h40 M30 158 v42 M43 158 v42" stroke="#1a1a1a" stroke-width="1.5"/>
<text x="68" y="185" font-size="17" fill="#1a1a1a">planning-juin.xlsx</text>
</g>
<g id="f_pdf">
<rect x="6" y="218" width="348" height="62" rx="6" fill="#ffffff" stroke="#767676"/>
<path d="M18 226 h26 l10 10 v36 h-36 z" fill="#ffffff" stroke="#1a1a1a" stroke-width="2"/>
<rect x="14" y="246" width="36" height="18" rx="2" fill="#0b5a78"/>
<text x="32" y="260" font-size="14" font-weight="bold" fill="#ffffff" text-anchor="middle">PDF</text>
<text x="68" y="255" font-size="17" fill="#1a1a1a">note-service.pdf</text>
</g>
</svg>""",
    # Used by 5.1 (what fills the storage).
    "b_stockage": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 330" role="img" font-family="sans-serif">
<title>Écran Stockage d'un téléphone : 62 Go utilisés sur 64 Go. Photos 9 Go, Vidéos 28 Go, Applications 14 Go, Messages 3 Go, Système 8 Go.</title>
<rect x="0" y="0" width="360" height="330" fill="#ffffff"/>
<text x="12" y="32" font-size="22" font-weight="bold" fill="#1a1a1a">Stockage</text>
<text x="12" y="60" font-size="16" fill="#1a1a1a">62 Go utilisés sur 64 Go</text>
<rect x="12" y="72" width="336" height="18" rx="4" fill="#ffffff" stroke="#1a1a1a" stroke-width="1.5"/>
<rect x="13" y="73" width="325" height="16" rx="3" fill="#0b5a78"/>
<g id="photos">
<rect x="6" y="104" width="348" height="40" rx="6" fill="#ffffff" stroke="#767676"/>
<text x="16" y="130" font-size="17" fill="#1a1a1a">Photos</text>
<text x="340" y="130" font-size="17" font-weight="bold" fill="#1a1a1a" text-anchor="end">9 Go</text>
</g>
<g id="videos">
<rect x="6" y="148" width="348" height="40" rx="6" fill="#ffffff" stroke="#767676"/>
<text x="16" y="174" font-size="17" fill="#1a1a1a">Vidéos</text>
<text x="340" y="174" font-size="17" font-weight="bold" fill="#1a1a1a" text-anchor="end">28 Go</text>
</g>
<g id="applis">
<rect x="6" y="192" width="348" height="40" rx="6" fill="#ffffff" stroke="#767676"/>
<text x="16" y="218" font-size="17" fill="#1a1a1a">Applications</text>
<text x="340" y="218" font-size="17" font-weight="bold" fill="#1a1a1a" text-anchor="end">14 Go</text>
</g>
<g id="messages">
<rect x="6" y="236" width="348" height="40" rx="6" fill="#ffffff" stroke="#767676"/>
<text x="16" y="262" font-size="17" fill="#1a1a1a">Messages</text>
<text x="340" y="262" font-size="17" font-weight="bold" fill="#1a1a1a" text-anchor="end">3 Go</text>
</g>
<text x="16" y="306" font-size="17" fill="#1a1a1a">Système</text>
<text x="340" y="306" font-size="17" fill="#1a1a1a" text-anchor="end">8 Go</text>
</svg>""",
    # Used by 3.4 (where to write the total's formula).
    "b_tableur": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 240" role="img" font-family="sans-serif">
<title>Tableur. Colonne A : Jour, colonne B : Heures, colonne C vide. Ligne 2 : Lundi, 7. Ligne 3 : Mardi, 6. Ligne 4 : Mercredi, 8. Ligne 5 : Total en A5, les cellules B5 et C5 sont vides.</title>
<rect x="0" y="0" width="360" height="240" fill="#ffffff"/>
<rect x="8" y="8" width="344" height="34" fill="#eef1f3"/>
<rect x="8" y="42" width="40" height="190" fill="#eef1f3"/>
<g stroke="#767676" stroke-width="1.5">
<path d="M8 8 h344 M8 42 h344 M8 80 h344 M8 118 h344 M8 156 h344 M8 194 h344 M8 232 h344"/>
<path d="M8 8 v224 M48 8 v224 M188 8 v224 M288 8 v224 M352 8 v224"/>
</g>
<g font-size="16" fill="#1a1a1a" text-anchor="middle">
<text x="118" y="31">A</text><text x="238" y="31">B</text><text x="320" y="31">C</text>
<text x="28" y="67">1</text><text x="28" y="105">2</text><text x="28" y="143">3</text>
<text x="28" y="181">4</text><text x="28" y="219">5</text>
</g>
<g font-size="17" fill="#1a1a1a">
<text x="56" y="67" font-weight="bold">Jour</text><text x="196" y="67" font-weight="bold">Heures</text>
<text x="56" y="105">Lundi</text><text x="280" y="105" text-anchor="end">7</text>
<text x="56" y="143">Mardi</text><text x="280" y="143" text-anchor="end">6</text>
</g>
<g id="cell_b4">
<rect x="189" y="157" width="98" height="36" fill="#ffffff"/>
<text x="280" y="181" font-size="17" fill="#1a1a1a" text-anchor="end">8</text>
</g>
<text x="56" y="181" font-size="17" fill="#1a1a1a">Mercredi</text>
<g id="cell_a5">
<rect x="49" y="195" width="138" height="36" fill="#ffffff"/>
<text x="56" y="219" font-size="17" font-weight="bold" fill="#1a1a1a">Total</text>
</g>
<g id="cell_b5">
<rect x="189" y="195" width="98" height="36" fill="#ffffff"/>
</g>
<g id="cell_c5">
<rect x="289" y="195" width="62" height="36" fill="#ffffff"/>
</g>
</svg>""",
    # Used by 4.1 (the open network).
    "b_wifi_liste": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 250" role="img" font-family="sans-serif">
<title>Liste des réseaux Wi-Fi disponibles : Mairie-Agents, avec un cadenas. WIFI-GRATUIT, sans cadenas. Partage de mon téléphone, avec un cadenas.</title>
<rect x="0" y="0" width="360" height="250" fill="#ffffff"/>
<text x="12" y="32" font-size="22" font-weight="bold" fill="#1a1a1a">Wi-Fi</text>
<g id="agents">
<rect x="6" y="48" width="348" height="60" rx="6" fill="#ffffff" stroke="#767676"/>
<path d="M16 78 a20 20 0 0 1 28 0 M21 84 a12 12 0 0 1 18 0" fill="none" stroke="#1a1a1a" stroke-width="3" stroke-linecap="round"/>
<circle cx="30" cy="90" r="3" fill="#1a1a1a"/>
<text x="58" y="84" font-size="17" fill="#1a1a1a">Mairie-Agents</text>
<path d="M323 76 v-5 a6 6 0 0 1 12 0 v5" fill="none" stroke="#1a1a1a" stroke-width="2.5"/>
<rect x="318" y="75" width="22" height="16" rx="2" fill="#1a1a1a"/>
</g>
<g id="gratuit">
<rect x="6" y="114" width="348" height="60" rx="6" fill="#ffffff" stroke="#767676"/>
<path d="M16 144 a20 20 0 0 1 28 0 M21 150 a12 12 0 0 1 18 0" fill="none" stroke="#1a1a1a" stroke-width="3" stroke-linecap="round"/>
<circle cx="30" cy="156" r="3" fill="#1a1a1a"/>
<text x="58" y="150" font-size="17" fill="#1a1a1a">WIFI-GRATUIT</text>
</g>
<g id="partage">
<rect x="6" y="180" width="348" height="60" rx="6" fill="#ffffff" stroke="#767676"/>
<path d="M16 210 a20 20 0 0 1 28 0 M21 216 a12 12 0 0 1 18 0" fill="none" stroke="#1a1a1a" stroke-width="3" stroke-linecap="round"/>
<circle cx="30" cy="222" r="3" fill="#1a1a1a"/>
<text x="58" y="216" font-size="17" fill="#1a1a1a">Partage de mon téléphone</text>
<path d="M323 208 v-5 a6 6 0 0 1 12 0 v5" fill="none" stroke="#1a1a1a" stroke-width="2.5"/>
<rect x="318" y="207" width="22" height="16" rx="2" fill="#1a1a1a"/>
</g>
</svg>""",
    # Used by 4.2 (refuse an app's needless permission).
    "b_autorisation": """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 280" role="img" font-family="sans-serif">
<title>Fenêtre sur un téléphone : Autoriser « Lampe Torche » à accéder à vos contacts ? Trois boutons : Autoriser, Autoriser cette fois, Refuser.</title>
<rect x="0" y="0" width="360" height="280" fill="#dfe8ec"/>
<rect x="12" y="12" width="336" height="256" rx="16" fill="#ffffff" stroke="#1a1a1a" stroke-width="2"/>
<text x="180" y="50" font-size="18" font-weight="bold" fill="#1a1a1a" text-anchor="middle">Autoriser « Lampe Torche »</text>
<text x="180" y="76" font-size="17" fill="#1a1a1a" text-anchor="middle">à accéder à vos contacts ?</text>
<g id="autoriser">
<rect x="36" y="98" width="288" height="46" rx="23" fill="#0b5a78"/>
<text x="180" y="127" font-size="17" fill="#ffffff" text-anchor="middle">Autoriser</text>
</g>
<g id="une_fois">
<rect x="36" y="152" width="288" height="46" rx="23" fill="#0b5a78"/>
<text x="180" y="181" font-size="17" fill="#ffffff" text-anchor="middle">Autoriser cette fois</text>
</g>
<g id="refuser">
<rect x="36" y="206" width="288" height="46" rx="23" fill="#0b5a78"/>
<text x="180" y="235" font-size="17" fill="#ffffff" text-anchor="middle">Refuser</text>
</g>
</svg>""",
}
