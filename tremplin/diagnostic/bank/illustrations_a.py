"""Illustrations of the item bank for CRCN domains 1 and 2 (names prefixed `a_`).

Drawn by hand on a 360-wide viewBox so that text stays readable on a phone: text is at
least 14 units, dark on white, buttons filled #0b5a78 with white text. Clickable zones are
`<g id="a-…">` groups; the prefix keeps their ids apart from the page's own ids and from the
other half of the bank. Zones are filled (white or coloured) so a tap anywhere inside counts.
"""

_OPEN = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 {height}" role="img" '
    'font-family="sans-serif" font-size="16" fill="#1a1a1a">'
)


def _svg(height: int, title: str, body: str) -> str:
    return f"{_OPEN.format(height=height)}<title>{title}</title>{body}</svg>"


# A phone's home screen: six labelled apps.
_PHONE_HOME = _svg(
    340,
    "Écran d'accueil d'un téléphone avec six applications : Téléphone, Messages, Photo, "
    "Internet, Plans et Réglages.",
    """
<rect x="20" y="4" width="320" height="332" rx="28" fill="#ffffff" stroke="#1a1a1a"
 stroke-width="4"/>
<text x="48" y="40" font-size="15">9:41</text>
<rect x="280" y="27" width="30" height="15" rx="3" fill="none" stroke="#1a1a1a" stroke-width="2"/>
<rect x="282" y="29" width="20" height="11" fill="#1a1a1a"/>
<g id="a-app-tel">
 <rect x="35" y="62" width="90" height="112" rx="12" fill="#ffffff"/>
 <g transform="translate(-20 0)">
 <rect x="68" y="66" width="64" height="64" rx="14" fill="#1b6e33"/>
 <path d="M89 82 L83 88 Q81 104 96 117 Q108 126 115 120 L119 114 L111 107 L105 111
  Q95 104 92 94 L96 89 Z" fill="#ffffff"/>
 <text x="100" y="154" text-anchor="middle">Téléphone</text>
 </g>
</g>
<g id="a-app-sms">
 <rect x="135" y="62" width="90" height="112" rx="12" fill="#ffffff"/>
 <rect x="148" y="66" width="64" height="64" rx="14" fill="#0b5a78"/>
 <path d="M164 84 h32 a4 4 0 0 1 4 4 v16 a4 4 0 0 1 -4 4 h-20 l-10 8 v-8 h-2
  a4 4 0 0 1 -4 -4 v-16 a4 4 0 0 1 4 -4 z" fill="#ffffff"/>
 <text x="180" y="154" text-anchor="middle">Messages</text>
</g>
<g id="a-app-photo">
 <rect x="235" y="62" width="90" height="112" rx="12" fill="#ffffff"/>
 <g transform="translate(20 0)">
 <rect x="228" y="66" width="64" height="64" rx="14" fill="#3c3c3c"/>
 <rect x="240" y="86" width="40" height="28" rx="4" fill="#ffffff"/>
 <rect x="252" y="80" width="16" height="8" rx="2" fill="#ffffff"/>
 <circle cx="260" cy="100" r="9" fill="#3c3c3c"/>
 <circle cx="260" cy="100" r="5" fill="#ffffff"/>
 <text x="260" y="154" text-anchor="middle">Photo</text>
 </g>
</g>
<g id="a-app-web">
 <rect x="35" y="192" width="90" height="112" rx="12" fill="#ffffff"/>
 <g transform="translate(-20 0)">
 <rect x="68" y="196" width="64" height="64" rx="14" fill="#1f4e9e"/>
 <circle cx="100" cy="228" r="18" fill="none" stroke="#ffffff" stroke-width="3"/>
 <ellipse cx="100" cy="228" rx="8" ry="18" fill="none" stroke="#ffffff" stroke-width="3"/>
 <line x1="82" y1="228" x2="118" y2="228" stroke="#ffffff" stroke-width="3"/>
 <text x="100" y="284" text-anchor="middle">Internet</text>
 </g>
</g>
<g id="a-app-plan">
 <rect x="135" y="192" width="90" height="112" rx="12" fill="#ffffff"/>
 <rect x="148" y="196" width="64" height="64" rx="14" fill="#a33a00"/>
 <path d="M180 248 C164 230 166 210 180 210 C194 210 196 230 180 248 Z" fill="#ffffff"/>
 <circle cx="180" cy="224" r="6" fill="#a33a00"/>
 <text x="180" y="284" text-anchor="middle">Plans</text>
</g>
<g id="a-app-reglages">
 <rect x="235" y="192" width="90" height="112" rx="12" fill="#ffffff"/>
 <g transform="translate(20 0)">
 <rect x="228" y="196" width="64" height="64" rx="14" fill="#555555"/>
 <circle cx="260" cy="228" r="15" fill="none" stroke="#ffffff" stroke-width="8"
  stroke-dasharray="6 5.8"/>
 <circle cx="260" cy="228" r="12" fill="#ffffff"/>
 <circle cx="260" cy="228" r="5" fill="#555555"/>
 <text x="260" y="284" text-anchor="middle">Réglages</text>
 </g>
</g>
""",
)

# A search engine's results page: one sponsored result, the city's site, an old forum thread.
_SEARCH_PAGE = _svg(
    466,
    "Page de résultats d'un moteur de recherche pour « horaires piscine » : une annonce "
    "sponsorisée, le site de la ville et un vieux message de forum.",
    """
<rect width="360" height="466" fill="#ffffff"/>
<g id="a-rech-barre">
 <rect x="8" y="12" width="282" height="48" rx="24" fill="#ffffff" stroke="#5f6368"
  stroke-width="2"/>
 <text x="28" y="42" font-size="17">horaires piscine</text>
</g>
<g id="a-rech-loupe">
 <rect x="298" y="12" width="54" height="48" rx="24" fill="#0b5a78"/>
 <circle cx="321" cy="33" r="9" fill="none" stroke="#ffffff" stroke-width="3"/>
 <line x1="328" y1="40" x2="337" y2="49" stroke="#ffffff" stroke-width="3"
  stroke-linecap="round"/>
</g>
<text x="14" y="90" font-size="15" font-weight="bold">Tous</text>
<rect x="10" y="98" width="44" height="3" fill="#0b5a78"/>
<text x="74" y="90" font-size="15">Images</text>
<text x="146" y="90" font-size="15">Actualités</text>
<text x="240" y="90" font-size="15">Cartes</text>
<line x1="0" y1="104" x2="360" y2="104" stroke="#c4c7c5"/>
<g id="a-rech-annonce">
 <rect x="6" y="114" width="348" height="104" rx="8" fill="#ffffff" stroke="#c4c7c5"/>
 <text x="16" y="140" font-size="15" font-weight="bold">Sponsorisé</text>
 <text x="16" y="162" font-size="14">top-loisirs-promo.com</text>
 <text x="16" y="188" font-size="18" fill="#0b5a78">Piscine : -50 % ce week-end</text>
 <text x="16" y="210" font-size="15">Réservez vite votre entrée.</text>
</g>
<g id="a-rech-officiel">
 <rect x="6" y="226" width="348" height="110" rx="8" fill="#ffffff" stroke="#c4c7c5"/>
 <text x="16" y="252" font-size="14">ville-exemple.fr › sports › piscines</text>
 <text x="16" y="278" font-size="18" fill="#0b5a78">Piscines municipales : horaires</text>
 <text x="16" y="302" font-size="15">Horaires et tarifs des piscines</text>
 <text x="16" y="324" font-size="15">de la ville, mis à jour en juin.</text>
</g>
<g id="a-rech-forum">
 <rect x="6" y="344" width="348" height="110" rx="8" fill="#ffffff" stroke="#c4c7c5"/>
 <text x="16" y="370" font-size="14">forum-entraide.net › discussions</text>
 <text x="16" y="396" font-size="18" fill="#0b5a78">Quelqu'un connaît les horaires ?</text>
 <text x="16" y="420" font-size="15">Réponse de Bob75, il y a 6 ans :</text>
 <text x="16" y="442" font-size="15">« le mardi c'est fermé je crois »</text>
</g>
""",
)

# An email being read, from a colleague to the whole canteen team, with an attachment.
_EMAIL_READ = _svg(
    520,
    "Message reçu de Marie Dupont, envoyé à l'équipe cantine, objet « Menus de la semaine », "
    "avec un fichier joint. En bas, trois boutons : Répondre, Répondre à tous, Transférer.",
    """
<rect width="360" height="520" fill="#ffffff"/>
<rect width="360" height="52" fill="#0b5a78"/>
<text x="16" y="33" font-size="18" fill="#ffffff">Messagerie</text>
<text x="16" y="88" font-size="20" font-weight="bold">Menus de la semaine</text>
<g id="a-mail-expediteur">
 <rect x="6" y="102" width="348" height="56" rx="6" fill="#ffffff"/>
 <circle cx="34" cy="130" r="20" fill="#0b5a78"/>
 <text x="34" y="136" font-size="15" fill="#ffffff" text-anchor="middle">MD</text>
 <text x="64" y="124" font-weight="bold">Marie Dupont</text>
 <text x="64" y="147" font-size="15">m.dupont@ville-exemple.fr</text>
</g>
<g id="a-mail-destinataires">
 <rect x="6" y="164" width="348" height="28" fill="#ffffff"/>
 <text x="16" y="183" font-size="15">À : Équipe cantine (12 personnes)</text>
</g>
<line x1="0" y1="200" x2="360" y2="200" stroke="#c4c7c5"/>
<text x="16" y="230">Bonjour à tous,</text>
<text x="16" y="256">Voici les menus de la semaine.</text>
<text x="16" y="280">Dites-moi si vous avez</text>
<text x="16" y="304">des questions.</text>
<text x="16" y="330">Marie</text>
<g id="a-mail-pj">
 <rect x="16" y="346" width="260" height="52" rx="8" fill="#ffffff" stroke="#5f6368"
  stroke-width="2"/>
 <path d="M32 356 h16 l8 8 v24 h-24 z" fill="#ffffff" stroke="#1a1a1a" stroke-width="2"/>
 <text x="66" y="378">menus-semaine.pdf</text>
</g>
<g id="a-mail-repondre">
 <rect x="8" y="420" width="106" height="88" rx="10" fill="#0b5a78"/>
 <path d="M50 438 L36 450 L50 462 Z" fill="#ffffff"/>
 <path d="M48 450 H66 Q78 450 78 462" fill="none" stroke="#ffffff" stroke-width="4"/>
 <text x="61" y="490" font-size="15" fill="#ffffff" text-anchor="middle">Répondre</text>
</g>
<g id="a-mail-repondre-tous">
 <rect x="127" y="420" width="106" height="88" rx="10" fill="#0b5a78"/>
 <path d="M164 438 L150 450 L164 462 Z" fill="#ffffff"/>
 <path d="M176 438 L162 450 L176 462 Z" fill="#ffffff"/>
 <path d="M174 450 H190 Q202 450 202 462" fill="none" stroke="#ffffff" stroke-width="4"/>
 <text x="180" y="484" font-size="15" fill="#ffffff" text-anchor="middle">Répondre</text>
 <text x="180" y="501" font-size="15" fill="#ffffff" text-anchor="middle">à tous</text>
</g>
<g id="a-mail-transferer">
 <rect x="246" y="420" width="106" height="88" rx="10" fill="#0b5a78"/>
 <path d="M310 438 L324 450 L310 462 Z" fill="#ffffff"/>
 <path d="M312 450 H294 Q282 450 282 462" fill="none" stroke="#ffffff" stroke-width="4"/>
 <text x="299" y="490" font-size="15" fill="#ffffff" text-anchor="middle">Transférer</text>
</g>
""",
)

# A phishing email that pretends to come from the payroll service.
_PHISHING = _svg(
    480,
    "Message reçu de « Service Paie », adresse paie@verif-salaire-mairie.com, objet "
    "« URGENT : salaire bloqué ». Il demande de confirmer ses coordonnées bancaires avant "
    "ce soir, avec un bouton.",
    """
<rect width="360" height="480" fill="#ffffff"/>
<rect width="360" height="52" fill="#0b5a78"/>
<text x="16" y="33" font-size="18" fill="#ffffff">Messagerie</text>
<g id="a-hame-objet">
 <rect x="6" y="62" width="348" height="36" fill="#ffffff"/>
 <text x="16" y="88" font-size="20" font-weight="bold">URGENT : salaire bloqué</text>
</g>
<g id="a-hame-expediteur">
 <rect x="6" y="104" width="348" height="56" rx="6" fill="#ffffff"/>
 <circle cx="34" cy="132" r="20" fill="#5f6368"/>
 <text x="34" y="138" font-size="15" fill="#ffffff" text-anchor="middle">SP</text>
 <text x="64" y="126" font-weight="bold">Service Paie</text>
 <text x="64" y="149" font-size="15">paie@verif-salaire-mairie.com</text>
</g>
<text x="16" y="185" font-size="15">À : vous</text>
<line x1="0" y1="198" x2="360" y2="198" stroke="#c4c7c5"/>
<text x="16" y="228">Bonjour,</text>
<text x="16" y="254">Votre salaire ne peut pas</text>
<text x="16" y="278">être versé ce mois-ci.</text>
<text x="16" y="302">Confirmez vos coordonnées</text>
<text x="16" y="326">bancaires avant ce soir.</text>
<g id="a-hame-lien">
 <rect x="16" y="344" width="300" height="50" rx="8" fill="#0b5a78"/>
 <text x="166" y="375" fill="#ffffff" text-anchor="middle">Confirmer mes coordonnées</text>
</g>
<g id="a-hame-signature">
 <rect x="6" y="408" width="348" height="60" fill="#ffffff"/>
 <text x="16" y="432" font-size="15">Service des ressources humaines</text>
 <text x="16" y="456" font-size="15">Mairie</text>
</g>
""",
)

# Writing a new email: paperclip and paper-plane icons, To, Cc, Subject, body.
_EMAIL_COMPOSE = _svg(
    400,
    "Écran « Nouveau message » : en haut, une icône trombone et une icône avion en papier. "
    "Puis les champs À, Cc, Objet et la zone du texte.",
    """
<rect width="360" height="400" fill="#ffffff"/>
<text x="16" y="38" font-size="18" font-weight="bold">Nouveau message</text>
<g id="a-ecrire-pj">
 <rect x="232" y="8" width="52" height="48" rx="8" fill="#ffffff"/>
 <path d="M252 22 V40 a6 6 0 0 0 12 0 V18 a4 4 0 0 0 -8 0 V38 a2 2 0 0 0 4 0 V24"
  fill="none" stroke="#1a1a1a" stroke-width="2.5" stroke-linecap="round"/>
</g>
<g id="a-ecrire-envoyer">
 <rect x="296" y="8" width="56" height="48" rx="24" fill="#0b5a78"/>
 <path d="M310 20 L340 32 L310 44 L315 32 Z" fill="#ffffff"/>
</g>
<line x1="0" y1="64" x2="360" y2="64" stroke="#c4c7c5"/>
<g id="a-ecrire-a">
 <rect x="0" y="65" width="360" height="48" fill="#ffffff"/>
 <text x="16" y="95">À :</text>
</g>
<line x1="0" y1="113" x2="360" y2="113" stroke="#c4c7c5"/>
<g id="a-ecrire-cc">
 <rect x="0" y="114" width="360" height="48" fill="#ffffff"/>
 <text x="16" y="144">Cc :</text>
</g>
<line x1="0" y1="162" x2="360" y2="162" stroke="#c4c7c5"/>
<g id="a-ecrire-objet">
 <rect x="0" y="163" width="360" height="48" fill="#ffffff"/>
 <text x="16" y="193">Objet :</text>
</g>
<line x1="0" y1="211" x2="360" y2="211" stroke="#c4c7c5"/>
<g id="a-ecrire-corps">
 <rect x="0" y="212" width="360" height="188" fill="#ffffff"/>
 <text x="16" y="244" fill="#5f6368">Écrivez votre message ici</text>
</g>
""",
)

# A video call: four participants and a bar of six round icon buttons.
_VIDEO_CALL = _svg(
    440,
    "Réunion en visio avec Sophie, Karim, Léa et vous. En bas, six boutons ronds : micro, "
    "caméra, main levée, conversation écrite, partage d'écran et un bouton rouge avec un "
    "combiné de téléphone.",
    """
<rect width="360" height="440" fill="#ffffff"/>
<rect x="8" y="8" width="168" height="140" rx="10" fill="#e8eaed"/>
<circle cx="92" cy="66" r="30" fill="#0b5a78"/>
<text x="92" y="73" font-size="20" fill="#ffffff" text-anchor="middle">S</text>
<text x="92" y="130" text-anchor="middle">Sophie</text>
<rect x="184" y="8" width="168" height="140" rx="10" fill="#e8eaed"/>
<circle cx="268" cy="66" r="30" fill="#0b5a78"/>
<text x="268" y="73" font-size="20" fill="#ffffff" text-anchor="middle">K</text>
<text x="268" y="130" text-anchor="middle">Karim</text>
<rect x="8" y="156" width="168" height="140" rx="10" fill="#e8eaed"/>
<circle cx="92" cy="214" r="30" fill="#0b5a78"/>
<text x="92" y="221" font-size="20" fill="#ffffff" text-anchor="middle">L</text>
<text x="92" y="278" text-anchor="middle">Léa</text>
<rect x="184" y="156" width="168" height="140" rx="10" fill="#e8eaed"/>
<circle cx="268" cy="214" r="30" fill="#0b5a78"/>
<text x="268" y="221" font-size="20" fill="#ffffff" text-anchor="middle">V</text>
<text x="268" y="278" text-anchor="middle">Vous</text>
<g id="a-visio-micro">
 <circle cx="33" cy="350" r="26" fill="#0b5a78"/>
 <rect x="27" y="334" width="12" height="22" rx="6" fill="#ffffff"/>
 <path d="M22 348 a11 11 0 0 0 22 0" fill="none" stroke="#ffffff" stroke-width="3"/>
 <line x1="33" y1="359" x2="33" y2="366" stroke="#ffffff" stroke-width="3"/>
</g>
<g id="a-visio-camera">
 <circle cx="92" cy="350" r="26" fill="#0b5a78"/>
 <rect x="76" y="341" width="22" height="18" rx="3" fill="#ffffff"/>
 <path d="M99 346 L108 341 V359 L99 354 Z" fill="#ffffff"/>
</g>
<g id="a-visio-main">
 <circle cx="151" cy="350" r="26" fill="#0b5a78"/>
 <rect x="142" y="348" width="18" height="16" rx="5" fill="#ffffff"/>
 <rect x="142" y="338" width="4" height="14" rx="2" fill="#ffffff"/>
 <rect x="147" y="335" width="4" height="17" rx="2" fill="#ffffff"/>
 <rect x="152" y="335" width="4" height="17" rx="2" fill="#ffffff"/>
 <rect x="157" y="338" width="4" height="14" rx="2" fill="#ffffff"/>
 <rect x="136" y="346" width="4" height="13" rx="2" fill="#ffffff"
  transform="rotate(-35 138 352)"/>
</g>
<g id="a-visio-chat">
 <circle cx="210" cy="350" r="26" fill="#0b5a78"/>
 <path d="M197 338 h26 a3 3 0 0 1 3 3 v14 a3 3 0 0 1 -3 3 h-16 l-8 7 v-7 h-2
  a3 3 0 0 1 -3 -3 v-14 a3 3 0 0 1 3 -3 z" fill="#ffffff"/>
</g>
<g id="a-visio-partage">
 <circle cx="269" cy="350" r="26" fill="#0b5a78"/>
 <rect x="254" y="338" width="30" height="20" rx="2" fill="none" stroke="#ffffff"
  stroke-width="3"/>
 <path d="M269 354 V343 M264 348 L269 343 L274 348" fill="none" stroke="#ffffff"
  stroke-width="3"/>
 <line x1="262" y1="364" x2="276" y2="364" stroke="#ffffff" stroke-width="3"/>
</g>
<g id="a-visio-quitter">
 <circle cx="328" cy="350" r="26" fill="#b3261e"/>
 <path d="M312 354 Q328 340 344 354 L341 360 L334 357 L334 351 Q328 348 322 351 L322 357
  L315 360 Z" fill="#ffffff"/>
</g>
<text x="180" y="420" font-size="15" text-anchor="middle">Réunion d'équipe · 12:04</text>
""",
)

# A map app: search for "pharmacie", the user's position, two pharmacies, a result card.
_MAP = _svg(
    520,
    "Application de plans. On a cherché « pharmacie ». Un point bleu montre votre position. "
    "La Pharmacie du Centre est à 300 m, la Pharmacie de la Gare à 1,2 km. En bas, une "
    "fiche avec les boutons Itinéraire et Appeler.",
    """
<rect width="360" height="400" fill="#e6ede0"/>
<line x1="0" y1="230" x2="360" y2="230" stroke="#b7bfae" stroke-width="20"/>
<line x1="0" y1="230" x2="360" y2="230" stroke="#ffffff" stroke-width="14"/>
<line x1="150" y1="60" x2="150" y2="400" stroke="#b7bfae" stroke-width="20"/>
<line x1="150" y1="60" x2="150" y2="400" stroke="#ffffff" stroke-width="14"/>
<line x1="0" y1="400" x2="360" y2="120" stroke="#b7bfae" stroke-width="16"/>
<line x1="0" y1="400" x2="360" y2="120" stroke="#ffffff" stroke-width="10"/>
<g id="a-carte-recherche">
 <rect x="10" y="10" width="340" height="48" rx="24" fill="#ffffff" stroke="#5f6368"
  stroke-width="2"/>
 <circle cx="36" cy="32" r="8" fill="none" stroke="#1a1a1a" stroke-width="2.5"/>
 <line x1="42" y1="38" x2="49" y2="45" stroke="#1a1a1a" stroke-width="2.5"/>
 <text x="60" y="40" font-size="17">pharmacie</text>
</g>
<g id="a-carte-position">
 <circle cx="150" cy="230" r="22" fill="#0b5a78" fill-opacity="0.25"/>
 <circle cx="150" cy="230" r="10" fill="#0b5a78" stroke="#ffffff" stroke-width="3"/>
 <rect x="92" y="256" width="116" height="26" rx="6" fill="#ffffff"/>
 <text x="150" y="275" font-size="15" text-anchor="middle">Vous êtes ici</text>
</g>
<g id="a-carte-pin-centre">
 <path d="M220 170 C206 154 208 134 220 134 C232 134 234 154 220 170 Z" fill="#b3261e"/>
 <circle cx="220" cy="148" r="5" fill="#ffffff"/>
 <rect x="176" y="76" width="176" height="50" rx="6" fill="#ffffff"/>
 <text x="186" y="97" font-size="15" font-weight="bold">Pharmacie du Centre</text>
 <text x="186" y="118" font-size="15">300 m</text>
</g>
<g id="a-carte-pin-gare">
 <path d="M300 360 C286 344 288 324 300 324 C312 324 314 344 300 360 Z" fill="#b3261e"/>
 <circle cx="300" cy="338" r="5" fill="#ffffff"/>
 <rect x="170" y="290" width="182" height="28" rx="6" fill="#ffffff"/>
 <text x="180" y="310" font-size="15" font-weight="bold">Pharmacie de la Gare</text>
 <rect x="236" y="366" width="60" height="26" rx="6" fill="#ffffff"/>
 <text x="244" y="385" font-size="15">1,2 km</text>
</g>
<rect x="0" y="400" width="360" height="120" fill="#ffffff"/>
<line x1="0" y1="400" x2="360" y2="400" stroke="#5f6368" stroke-width="2"/>
<text x="16" y="428" font-size="17" font-weight="bold">Pharmacie du Centre</text>
<text x="16" y="452" font-size="15">300 m · Ouverte jusqu'à 19 h</text>
<g id="a-carte-itineraire">
 <rect x="16" y="464" width="156" height="46" rx="23" fill="#0b5a78"/>
 <path d="M40 496 V484 H54 M48 478 L55 484 L48 490" fill="none" stroke="#ffffff"
  stroke-width="3"/>
 <text x="108" y="493" fill="#ffffff" text-anchor="middle">Itinéraire</text>
</g>
<g id="a-carte-appeler">
 <rect x="188" y="464" width="156" height="46" rx="23" fill="#0b5a78"/>
 <text x="266" y="493" fill="#ffffff" text-anchor="middle">Appeler</text>
</g>
""",
)

# Sharing a file from the online storage space: who, which rights, link access.
_FILE_SHARE = _svg(
    440,
    "Fenêtre « Partager Planning juin » : un champ pour le nom ou l'adresse, deux choix "
    "de droits (« Peut lire seulement » et « Peut modifier », coché), un interrupteur "
    "« Toute personne avec le lien », éteint, et un bouton Envoyer.",
    """
<rect width="360" height="440" fill="#ffffff"/>
<text x="16" y="36" font-size="19" font-weight="bold">Partager « Planning juin »</text>
<g id="a-partage-nom">
 <rect x="8" y="52" width="344" height="82" fill="#ffffff"/>
 <text x="16" y="72" font-size="15">Avec qui ?</text>
 <rect x="16" y="82" width="328" height="44" rx="6" fill="#ffffff" stroke="#5f6368"
  stroke-width="2"/>
 <text x="28" y="110" fill="#5f6368">Nom ou adresse mail</text>
</g>
<text x="16" y="164" font-size="15" font-weight="bold">Droits</text>
<g id="a-partage-lire">
 <rect x="16" y="174" width="328" height="46" rx="6" fill="#ffffff" stroke="#5f6368"/>
 <circle cx="40" cy="197" r="10" fill="#ffffff" stroke="#1a1a1a" stroke-width="2"/>
 <text x="60" y="203">Peut lire seulement</text>
</g>
<g id="a-partage-modifier">
 <rect x="16" y="228" width="328" height="46" rx="6" fill="#ffffff" stroke="#5f6368"/>
 <circle cx="40" cy="251" r="10" fill="#ffffff" stroke="#1a1a1a" stroke-width="2"/>
 <circle cx="40" cy="251" r="5" fill="#1a1a1a"/>
 <text x="60" y="257">Peut modifier</text>
</g>
<g id="a-partage-public">
 <rect x="16" y="290" width="328" height="66" rx="6" fill="#ffffff" stroke="#5f6368"/>
 <text x="28" y="317">Toute personne</text>
 <text x="28" y="339">avec le lien</text>
 <rect x="270" y="309" width="56" height="28" rx="14" fill="#ffffff" stroke="#1a1a1a"
  stroke-width="2"/>
 <circle cx="285" cy="323" r="9" fill="#1a1a1a"/>
 <text x="226" y="329" font-size="15">Non</text>
</g>
<text x="40" y="412" fill="#0b5a78">Annuler</text>
<g id="a-partage-envoyer">
 <rect x="196" y="382" width="148" height="48" rx="8" fill="#0b5a78"/>
 <text x="270" y="412" fill="#ffffff" text-anchor="middle">Envoyer</text>
</g>
""",
)

# A week's work schedule, read online.
_PLANNING = _svg(
    420,
    "Planning de la semaine 23, cuisine centrale. Lundi 7 h – 14 h, mardi 7 h – 14 h, "
    "mercredi repos, jeudi 11 h – 19 h, vendredi 11 h – 19 h, samedi 7 h – 14 h, "
    "dimanche repos.",
    """
<rect width="360" height="420" fill="#ffffff"/>
<text x="16" y="32" font-size="19" font-weight="bold">Mon planning – semaine 23</text>
<text x="16" y="56" font-size="15">Cuisine centrale</text>
<rect x="8" y="70" width="344" height="40" fill="#0b5a78"/>
<text x="24" y="96" fill="#ffffff" font-weight="bold">Jour</text>
<text x="170" y="96" fill="#ffffff" font-weight="bold">Horaire</text>
<rect x="8" y="110" width="344" height="42" fill="#ffffff"/>
<text x="24" y="137">Lundi</text><text x="170" y="137">7 h – 14 h</text>
<rect x="8" y="152" width="344" height="42" fill="#eef1f3"/>
<text x="24" y="179">Mardi</text><text x="170" y="179">7 h – 14 h</text>
<rect x="8" y="194" width="344" height="42" fill="#ffffff"/>
<text x="24" y="221">Mercredi</text><text x="170" y="221" font-weight="bold">Repos</text>
<rect x="8" y="236" width="344" height="42" fill="#eef1f3"/>
<text x="24" y="263">Jeudi</text><text x="170" y="263">11 h – 19 h</text>
<rect x="8" y="278" width="344" height="42" fill="#ffffff"/>
<text x="24" y="305">Vendredi</text><text x="170" y="305">11 h – 19 h</text>
<rect x="8" y="320" width="344" height="42" fill="#eef1f3"/>
<text x="24" y="347">Samedi</text><text x="170" y="347">7 h – 14 h</text>
<rect x="8" y="362" width="344" height="42" fill="#ffffff"/>
<text x="24" y="389">Dimanche</text><text x="170" y="389" font-weight="bold">Repos</text>
<rect x="8" y="70" width="344" height="334" fill="none" stroke="#5f6368" stroke-width="2"/>
<line x1="154" y1="70" x2="154" y2="404" stroke="#5f6368"/>
""",
)

# A small spreadsheet: hours per agent, the total cell B6 selected and still empty.
_SPREADSHEET = _svg(
    340,
    "Tableur. Colonne A : Agent, colonne B : Heures, colonne C : Service. Ligne 2 : Ali, "
    "35, Cuisine. Ligne 3 : Brigitte, 28, Entretien. Ligne 4 : Chloé, 35, Cuisine. "
    "Ligne 5 : David, 20, Accueil. Ligne 6 : Total, la cellule B6 est sélectionnée et vide.",
    """
<rect width="360" height="340" fill="#ffffff"/>
<rect x="8" y="8" width="56" height="34" fill="#ffffff" stroke="#5f6368"/>
<text x="36" y="31" font-size="15" text-anchor="middle">B6</text>
<text x="76" y="31" font-size="15" font-style="italic">fx</text>
<rect x="100" y="8" width="252" height="34" fill="#ffffff" stroke="#5f6368"/>
<rect x="4" y="52" width="352" height="32" fill="#eef1f3"/>
<rect x="4" y="84" width="32" height="240" fill="#eef1f3"/>
<text x="96" y="74" font-size="15" text-anchor="middle">A</text>
<text x="196" y="74" font-size="15" text-anchor="middle">B</text>
<text x="296" y="74" font-size="15" text-anchor="middle">C</text>
<text x="20" y="110" font-size="15" text-anchor="middle">1</text>
<text x="20" y="150" font-size="15" text-anchor="middle">2</text>
<text x="20" y="190" font-size="15" text-anchor="middle">3</text>
<text x="20" y="230" font-size="15" text-anchor="middle">4</text>
<text x="20" y="270" font-size="15" text-anchor="middle">5</text>
<text x="20" y="310" font-size="15" text-anchor="middle">6</text>
<text x="44" y="110" font-weight="bold">Agent</text>
<text x="228" y="110" font-weight="bold" text-anchor="end">Heures</text>
<text x="244" y="110" font-weight="bold">Service</text>
<text x="44" y="150">Ali</text>
<text x="228" y="150" text-anchor="end">35</text>
<text x="244" y="150">Cuisine</text>
<g id="a-tab-a3">
 <rect x="37" y="165" width="118" height="38" fill="#ffffff"/>
 <text x="44" y="190">Brigitte</text>
</g>
<g id="a-tab-b3">
 <rect x="157" y="165" width="78" height="38" fill="#ffffff"/>
 <text x="228" y="190" text-anchor="end">28</text>
</g>
<g id="a-tab-c3">
 <rect x="237" y="165" width="118" height="38" fill="#ffffff"/>
 <text x="244" y="190">Entretien</text>
</g>
<text x="44" y="230">Chloé</text>
<text x="228" y="230" text-anchor="end">35</text>
<text x="244" y="230">Cuisine</text>
<text x="44" y="270">David</text>
<g id="a-tab-b5">
 <rect x="157" y="245" width="78" height="38" fill="#ffffff"/>
 <text x="228" y="270" text-anchor="end">20</text>
</g>
<text x="244" y="270">Accueil</text>
<text x="44" y="310" font-weight="bold">Total</text>
<g fill="none" stroke="#9aa0a6">
 <line x1="4" y1="84" x2="356" y2="84"/><line x1="4" y1="124" x2="356" y2="124"/>
 <line x1="4" y1="164" x2="356" y2="164"/><line x1="4" y1="204" x2="356" y2="204"/>
 <line x1="4" y1="244" x2="356" y2="244"/><line x1="4" y1="284" x2="356" y2="284"/>
 <line x1="36" y1="52" x2="36" y2="324"/><line x1="156" y1="52" x2="156" y2="324"/>
 <line x1="236" y1="52" x2="236" y2="324"/>
 <rect x="4" y="52" width="352" height="272"/>
</g>
<rect x="157" y="286" width="78" height="36" fill="none" stroke="#0b5a78" stroke-width="4"/>
""",
)

# The collectivité's intranet home page: six tiles and a log-out button.
_INTRANET = _svg(
    470,
    "Page d'accueil de l'intranet. En haut, un bouton Déconnexion. Six cases : Ma paie, "
    "Mes congés, Mon planning, Annuaire, Actualités, Formations.",
    """
<rect width="360" height="470" fill="#ffffff"/>
<rect width="360" height="60" fill="#0b5a78"/>
<text x="16" y="38" font-size="20" font-weight="bold" fill="#ffffff">Intranet</text>
<g id="a-intra-deconnexion">
 <rect x="206" y="10" width="144" height="40" rx="6" fill="#0b5a78" stroke="#ffffff"
  stroke-width="2"/>
 <text x="278" y="35" font-size="15" fill="#ffffff" text-anchor="middle">Déconnexion</text>
</g>
<text x="16" y="94" font-size="18">Bonjour Samia</text>
<g id="a-intra-paie">
 <rect x="12" y="110" width="162" height="104" rx="12" fill="#ffffff" stroke="#0b5a78"
  stroke-width="2"/>
 <circle cx="93" cy="146" r="20" fill="none" stroke="#0b5a78" stroke-width="3"/>
 <text x="93" y="154" font-size="22" font-weight="bold" fill="#0b5a78"
  text-anchor="middle">€</text>
 <text x="93" y="198" font-size="17" font-weight="bold" text-anchor="middle">Ma paie</text>
</g>
<g id="a-intra-conges">
 <rect x="186" y="110" width="162" height="104" rx="12" fill="#ffffff" stroke="#0b5a78"
  stroke-width="2"/>
 <circle cx="267" cy="146" r="19" fill="none" stroke="#0b5a78" stroke-width="5"
  stroke-dasharray="3 5"/>
 <circle cx="267" cy="146" r="11" fill="#0b5a78"/>
 <text x="267" y="198" font-size="17" font-weight="bold" text-anchor="middle">Mes congés</text>
</g>
<g id="a-intra-planning">
 <rect x="12" y="226" width="162" height="104" rx="12" fill="#ffffff" stroke="#0b5a78"
  stroke-width="2"/>
 <rect x="73" y="244" width="40" height="36" rx="4" fill="none" stroke="#0b5a78"
  stroke-width="3"/>
 <rect x="73" y="244" width="40" height="10" fill="#0b5a78"/>
 <text x="93" y="314" font-size="17" font-weight="bold" text-anchor="middle">Mon planning</text>
</g>
<g id="a-intra-annuaire">
 <rect x="186" y="226" width="162" height="104" rx="12" fill="#ffffff" stroke="#0b5a78"
  stroke-width="2"/>
 <circle cx="267" cy="252" r="9" fill="#0b5a78"/>
 <path d="M251 282 Q251 264 267 264 Q283 264 283 282 Z" fill="#0b5a78"/>
 <text x="267" y="314" font-size="17" font-weight="bold" text-anchor="middle">Annuaire</text>
</g>
<g id="a-intra-actus">
 <rect x="12" y="342" width="162" height="104" rx="12" fill="#ffffff" stroke="#0b5a78"
  stroke-width="2"/>
 <rect x="73" y="358" width="40" height="34" rx="3" fill="none" stroke="#0b5a78"
  stroke-width="3"/>
 <line x1="80" y1="368" x2="106" y2="368" stroke="#0b5a78" stroke-width="3"/>
 <line x1="80" y1="376" x2="106" y2="376" stroke="#0b5a78" stroke-width="2"/>
 <line x1="80" y1="384" x2="100" y2="384" stroke="#0b5a78" stroke-width="2"/>
 <text x="93" y="430" font-size="17" font-weight="bold" text-anchor="middle">Actualités</text>
</g>
<g id="a-intra-formations">
 <rect x="186" y="342" width="162" height="104" rx="12" fill="#ffffff" stroke="#0b5a78"
  stroke-width="2"/>
 <path d="M267 360 L291 370 L267 380 L243 370 Z" fill="#0b5a78"/>
 <path d="M253 375 V386 Q267 394 281 386 V375" fill="none" stroke="#0b5a78"
  stroke-width="3"/>
 <text x="267" y="430" font-size="17" font-weight="bold" text-anchor="middle">Formations</text>
</g>
""",
)

# The phone's file manager: four places where files are kept.
_FOLDERS = _svg(
    340,
    "Application « Mes fichiers » avec quatre dossiers : Documents, Photos, "
    "Téléchargements et Corbeille.",
    """
<rect width="360" height="340" fill="#ffffff"/>
<text x="16" y="38" font-size="20" font-weight="bold">Mes fichiers</text>
<g id="a-dos-documents">
 <rect x="8" y="58" width="344" height="64" rx="8" fill="#ffffff" stroke="#c4c7c5"/>
 <path d="M22 76 a3 3 0 0 1 3 -3 h12 l4 5 h18 a3 3 0 0 1 3 3 v22 a3 3 0 0 1 -3 3 h-34
  a3 3 0 0 1 -3 -3 z" fill="#0b5a78"/>
 <text x="78" y="88" font-size="18">Documents</text>
 <text x="78" y="110" font-size="14" fill="#5f6368">24 éléments</text>
</g>
<g id="a-dos-photos">
 <rect x="8" y="130" width="344" height="64" rx="8" fill="#ffffff" stroke="#c4c7c5"/>
 <path d="M22 148 a3 3 0 0 1 3 -3 h12 l4 5 h18 a3 3 0 0 1 3 3 v22 a3 3 0 0 1 -3 3 h-34
  a3 3 0 0 1 -3 -3 z" fill="#0b5a78"/>
 <text x="78" y="160" font-size="18">Photos</text>
 <text x="78" y="182" font-size="14" fill="#5f6368">312 éléments</text>
</g>
<g id="a-dos-telechargements">
 <rect x="8" y="202" width="344" height="64" rx="8" fill="#ffffff" stroke="#c4c7c5"/>
 <path d="M22 220 a3 3 0 0 1 3 -3 h12 l4 5 h18 a3 3 0 0 1 3 3 v22 a3 3 0 0 1 -3 3 h-34
  a3 3 0 0 1 -3 -3 z" fill="#0b5a78"/>
 <path d="M42 226 V242 M35 236 L42 243 L49 236" fill="none" stroke="#ffffff"
  stroke-width="3"/>
 <text x="78" y="232" font-size="18">Téléchargements</text>
 <text x="78" y="254" font-size="14" fill="#5f6368">9 éléments</text>
</g>
<g id="a-dos-corbeille">
 <rect x="8" y="274" width="344" height="64" rx="8" fill="#ffffff" stroke="#c4c7c5"/>
 <rect x="30" y="294" width="24" height="30" rx="3" fill="#5f6368"/>
 <rect x="26" y="288" width="32" height="5" rx="2" fill="#5f6368"/>
 <rect x="37" y="284" width="10" height="5" rx="2" fill="#5f6368"/>
 <text x="78" y="304" font-size="18">Corbeille</text>
 <text x="78" y="326" font-size="14" fill="#5f6368">3 éléments</text>
</g>
""",
)

# The version history of a shared document.
_VERSIONS = _svg(
    400,
    "Historique des versions du document partagé « Menus juin » : aujourd'hui 10 h 12 par "
    "Karim (version actuelle), aujourd'hui 9 h 30 par vous, hier 16 h 45 par Léa, lundi "
    "11 h 05 création par Léa.",
    """
<rect width="360" height="400" fill="#ffffff"/>
<text x="16" y="34" font-size="19" font-weight="bold">Historique des versions</text>
<text x="16" y="58" font-size="15">Document : Menus juin</text>
<g id="a-ver-1012">
 <rect x="8" y="74" width="344" height="72" rx="8" fill="#ffffff" stroke="#0b5a78"
  stroke-width="3"/>
 <text x="22" y="102" font-weight="bold">Aujourd'hui, 10 h 12</text>
 <text x="22" y="128" font-size="15">Karim L. · version actuelle</text>
</g>
<g id="a-ver-0930">
 <rect x="8" y="154" width="344" height="72" rx="8" fill="#ffffff" stroke="#c4c7c5"/>
 <text x="22" y="182" font-weight="bold">Aujourd'hui, 9 h 30</text>
 <text x="22" y="208" font-size="15">Vous</text>
</g>
<g id="a-ver-hier">
 <rect x="8" y="234" width="344" height="72" rx="8" fill="#ffffff" stroke="#c4c7c5"/>
 <text x="22" y="262" font-weight="bold">Hier, 16 h 45</text>
 <text x="22" y="288" font-size="15">Léa M.</text>
</g>
<g id="a-ver-lundi">
 <rect x="8" y="314" width="344" height="72" rx="8" fill="#ffffff" stroke="#c4c7c5"/>
 <text x="22" y="342" font-weight="bold">Lundi, 11 h 05</text>
 <text x="22" y="368" font-size="15">Léa M. · création</text>
</g>
""",
)

# A public service's sign-in page, with the FranceConnect button.
_FRANCECONNECT = _svg(
    470,
    "Page de connexion « Mon espace usager » : champs Identifiant et Mot de passe, bouton "
    "Se connecter, puis « ou », un bouton « S'identifier avec FranceConnect » et un lien "
    "Créer un compte.",
    """
<rect width="360" height="470" fill="#ffffff"/>
<text x="16" y="36" font-size="20" font-weight="bold">Mon espace usager</text>
<text x="16" y="60" font-size="15">Démarches en ligne</text>
<g id="a-fc-identifiant">
 <rect x="8" y="76" width="344" height="84" fill="#ffffff"/>
 <text x="16" y="96" font-size="15">Identifiant</text>
 <rect x="16" y="106" width="328" height="44" rx="6" fill="#ffffff" stroke="#5f6368"
  stroke-width="2"/>
</g>
<text x="16" y="184" font-size="15">Mot de passe</text>
<rect x="16" y="194" width="328" height="44" rx="6" fill="#ffffff" stroke="#5f6368"
 stroke-width="2"/>
<g id="a-fc-connecter">
 <rect x="16" y="254" width="328" height="48" rx="8" fill="#0b5a78"/>
 <text x="180" y="284" fill="#ffffff" text-anchor="middle">Se connecter</text>
</g>
<line x1="16" y1="330" x2="160" y2="330" stroke="#5f6368"/>
<text x="180" y="335" text-anchor="middle">ou</text>
<line x1="200" y1="330" x2="344" y2="330" stroke="#5f6368"/>
<g id="a-fc-bouton">
 <rect x="16" y="352" width="328" height="62" rx="8" fill="#0b5a78"/>
 <text x="180" y="378" font-size="15" fill="#ffffff" text-anchor="middle">S'identifier avec</text>
 <text x="180" y="401" font-size="18" font-weight="bold" fill="#ffffff"
  text-anchor="middle">FranceConnect</text>
</g>
<g id="a-fc-creer">
 <rect x="90" y="426" width="180" height="36" fill="#ffffff"/>
 <text x="180" y="450" fill="#0b5a78" text-anchor="middle"
  text-decoration="underline">Créer un compte</text>
</g>
""",
)

# A photo just taken (a pothole), with the gallery's four icon buttons.
_PHOTO_VIEW = _svg(
    420,
    "Photo d'un trou dans la chaussée, ouverte dans la galerie du téléphone. En bas, "
    "quatre icônes : trois points reliés par des traits, un cœur, un crayon, une corbeille.",
    """
<rect width="360" height="420" fill="#ffffff"/>
<path d="M22 24 L12 34 L22 44" fill="none" stroke="#1a1a1a" stroke-width="3"/>
<text x="40" y="40" font-size="17">Photo · aujourd'hui 8:12</text>
<rect x="0" y="60" width="360" height="260" fill="#cfe3ee"/>
<path d="M120 140 L240 140 L360 320 L0 320 Z" fill="#6b6b6b"/>
<path d="M180 150 V180 M180 200 V240 M180 262 V310" stroke="#ffffff" stroke-width="6"/>
<ellipse cx="230" cy="262" rx="46" ry="16" fill="#2b2b2b"/>
<g id="a-photo-partager">
 <rect x="4" y="336" width="80" height="76" rx="10" fill="#ffffff"/>
 <line x1="34" y1="374" x2="54" y2="362" stroke="#1a1a1a" stroke-width="3"/>
 <line x1="34" y1="374" x2="54" y2="386" stroke="#1a1a1a" stroke-width="3"/>
 <circle cx="32" cy="374" r="6" fill="#1a1a1a"/>
 <circle cx="56" cy="360" r="6" fill="#1a1a1a"/>
 <circle cx="56" cy="388" r="6" fill="#1a1a1a"/>
</g>
<g id="a-photo-favori">
 <rect x="94" y="336" width="80" height="76" rx="10" fill="#ffffff"/>
 <path d="M134 390 C110 374 116 354 134 366 C152 354 158 374 134 390 Z" fill="none"
  stroke="#1a1a1a" stroke-width="3"/>
</g>
<g id="a-photo-modifier">
 <rect x="184" y="336" width="80" height="76" rx="10" fill="#ffffff"/>
 <path d="M214 392 L216 382 L238 360 L246 368 L224 390 Z" fill="none" stroke="#1a1a1a"
  stroke-width="3"/>
</g>
<g id="a-photo-supprimer">
 <rect x="274" y="336" width="80" height="76" rx="10" fill="#ffffff"/>
 <rect x="304" y="364" width="20" height="26" rx="3" fill="none" stroke="#1a1a1a"
  stroke-width="3"/>
 <line x1="298" y1="360" x2="330" y2="360" stroke="#1a1a1a" stroke-width="3"/>
 <line x1="310" y1="355" x2="318" y2="355" stroke="#1a1a1a" stroke-width="3"/>
</g>
""",
)

SVG: dict[str, str] = {
    "a_phone_home": _PHONE_HOME,
    "a_search_page": _SEARCH_PAGE,
    "a_email_read": _EMAIL_READ,
    "a_phishing_mail": _PHISHING,
    "a_email_compose": _EMAIL_COMPOSE,
    "a_video_call": _VIDEO_CALL,
    "a_map": _MAP,
    "a_file_share": _FILE_SHARE,
    "a_planning": _PLANNING,
    "a_spreadsheet": _SPREADSHEET,
    "a_intranet": _INTRANET,
    "a_folders": _FOLDERS,
    "a_versions": _VERSIONS,
    "a_franceconnect": _FRANCECONNECT,
    "a_photo_view": _PHOTO_VIEW,
}
