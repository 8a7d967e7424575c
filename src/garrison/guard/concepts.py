"""Concept signals for the built-in guard: what an injection has to contain, whatever its words.

The phrase signals in ``builtin.py`` know how attacks are usually worded. These know what they are
made of, in English, French and Italian, so a wording nobody wrote down is still caught:

- **a passage that speaks to the model**: an AI, assistant, model or chatbot addressed ("Note for
  the AI:", "Per gli assistenti IA che riassumono...", "Si une IA résume ce compte rendu,") and
  given an order or an obligation within the next sentence or two;
- **the model's own configuration as the object** of a request to show it or to drop it ("your
  hidden context", "le consegne che ti hanno dato", "ce qu'on t'a dit avant mon premier message")
  next to a verb that reveals or annuls;
- **a claim to speak as the system** ("as if it came from the system", "outranks your rules") or
  to **see what the caller is not cleared for**;
- **obfuscation**: leetspeak, letters spaced out, and text to be read backwards are undone before
  the signals run again on the result.

Each function returns the reasons it found; ``BuiltinGuard`` weighs them like any other signal.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# -- who a passage may address -----------------------------------------------------------------
_AI_NOUN = (
    r"(?:(?:assistant|ai|llm|model)_\w+|"
    r"(?:ai|ia|virtual|virtuel|virtuale|automated|automatic|automatique|automatico|automatisé|digital) (?:assistants?|assistente|assistenti|"
    r"summari[sz]ers?|notetakers?|agents?|tools?|systems?)|assistants? (?:ia|ai|d['’]ia|virtuels?|automatisés?)|assistenti? (?:ia|ai|virtual[ei]|"
    r"automatic[oi])|(?:systèmes?|outils?|logiciels?|sistemi|strumenti|software) (?:d['’]ia|ia|di ia|d['’]intelligence artificielle|"
    r"di intelligenza artificiale)|language models?|modèles? (?:de langage|linguistiques?|d['’]ia)|modell[oi] (?:linguistic[oi]|di "
    r"linguaggio|di ia)|intelligence artificielle|intelligenza artificiale|"
    r"(?-i:AI|A\.I\.|IA|I\.A\.)|llms?|chatbots?|bots?|copilot|"
    r"(?:the |l['’]|un['’]? ?|une |any |every |whichever )?(?:model|modèle|modello|assistant|assistants|assistente|assistenti))"
)
_AI = re.compile(rf"\b{_AI_NOUN}\b", _I)
# what makes a mention an address: a colon or comma right after it, a relative clause about reading
# this text, or a "note for", "P.S.", "hey" just before it
_READS = (
    r"(?:reads?|is reading|reading|quot\w*|summari[sz]\w*|process\w*|analy[sz]\w*|consult\w*|transcrib\w*|compil\w*|evaluat\w*|screen\w*|"
    r"lit|lisez|lisant|résume\w*|traite\w*|exploite\w*|dépouille\w*|fera|legge\w*|riassum\w*|elabor\w*|valut\w*|trascriv\w*|"
    r"tradu\w*|prepar\w*|verific\w*|confront\w*|will|ends? up|who)"
)
# words that make "X ...:" a heading or a statement about the model, not an address to it
_NOT_ADDRESS = (
    r"(?:usage|use|uses|guidelines?|polic(?:y|ies)|rules?|guide|manual|security|safety|notes?|faq|overview|règles|charte|utilisation|"
    r"guida|uso|regole|norme|sicurezza|sécurité|peut|can|may|could|might|is|are|was|were|est|sont|était|è|sono|era|può|possono|will|"
    r"would|should|doit|deve|has|have|had|a|ha|hanno|ont|avait|aveva|did|does|do|fait|fa|n['’]a|non|ne|not|sa|son|ses|sua|suo|its|their)\b"
)
_AFTER = re.compile(
    rf"^\s*(?:(?:(?!{_NOT_ADDRESS})[\w'’-]+\s+){{0,3}}(?:(?!{_NOT_ADDRESS})[\w'’-]+)?\s*:|[,!]|/|(?:are|is|sont|est|sono|è) (?:\w+ )?(?:required|tenus?|tenut[io]|obliged|"
    rf"obligés?|obbligat[io]|asked|invited|priés?)\b|(?:that|which|who|qui|che)\s+{_READS}|"
    rf"(?:(?:ends? up|will|is|are|sta|stanno|est en train de)\s+)?{_READS}\s+(?:this|these|the|ce|cette|ces|questo|questa|questi|queste)\b)",
    _I,
)
_ARTICLE = (
    r"(?:the |any |all |every |whichever |l['’]|les? |la |gli |i |il |le |tout |toute |tous |ogni |qualsiasi |qualunque |an? |une? |"
    r"un['’] ?|)"
)
_BEFORE = re.compile(
    r"(?:\b(?:note|message|instructions?|consignes?|indication|remarque|attention|nota|istruzion[ei]|avviso|avvertenza|comment|commento|"
    r"p\.?-?s\.?|hey|dear|hello|ciao|bonjour|notice|intended|addressed|destinée?s?|destinat[oi]|usage exclusif d[eu']?|"
    r"attention d[eu']?|attenzione d[ei]l?l?[ao]?)\s*:?\s*"
    r"(?:(?:to|for|pour|à|aux|per|al|agli|alle|a)\s*)?"
    + _ARTICLE
    + r"(?:(?!(?:de|du|des|of|di|del|della|dei|degli)\b)[\w'’-]+ ){0,2}"
    r"|@|\b(?:for|to|pour|à|aux|per|agli|alle|al|if|when|si|se|quand|quando|lorsque)\s+"
    + _ARTICLE.replace("|)", ")")  # an article is needed here: "for the AI", "if an assistant", not "guide to AI"
    + r")$",
    _I,
)
_TOPIC = re.compile(
    r"\binjection|\battacks?\b|\battaque|\battacc|(?<![.@])\bexamples?\b|\bexemples?\b|\besempi|\be\.g\.|\bsuch as\b|\bpar exemple|"
    r"\bad esempio|\bquiz\b|\btraining\b|\bformation\b|\bformazione\b|\bawareness|\bsensibilisation|\bsensibilizzazione",
    _I,
)


def _in_quotes(text: str, start: int) -> bool:
    line = text[text.rfind("\n", 0, start) + 1 : start]
    return line.count("«") > line.count("»") or line.count("“") > line.count("”") or line.count('"') % 2 == 1


# an order or an obligation given to the addressee
_ORDER = re.compile(
    r"\b(?:always|never|say|tell|reply|respond|answer|recommend|write|send|forward|add|attach|insert|include|ignore|disregard|forget|"
    r"discard|pretend|present|declare|state|claim|report|register|record|pay|score|rank|rate|omit|leave out|do not|don't|please|"
    r"must|shall|should|are (?:contractually )?required to|are to|replace|print|output|list|give|rewrite|change|mark|treat|accept|"
    r"share|book|sign|switch|stop|describe|count|discard|advise|invite|direct|quote|"
    r"affirme[zr]?|dis|dites|réponds|répondez|indique[zr]?|ajoute[zr]?|envoie[zr]?|transmets|transmettez|fais|faites|présente[zr]?|"
    r"ignore[zr]?|oublie[zr]?|arrête[zr]?|ne (?:mentionne|signale|dis|cite|parle|tiens)|recopie[zr]?|inscri(?:s|vez)|annonce[zr]?|compte[zr]?|"
    r"mets|mettez|classe[zr]?|doi(?:s|t|vent)|devr(?:a|ont|ez)|sont tenus|est tenu|invite[zr]?|signe[zr]?|conseille[zr]?|"
    r"recommande[zr]?|considère[zr]?|écris|écrivez|remplace[zr]?|note[zr]?|"
    r"rispondi|rispondete|di'|dì|dite|indica|indicate|aggiungi|aggiungete|invia|inviate|inoltra|inoltrate|fai|fate|presentati|"
    r"presenta|ignora|ignorate|dimentica|registra|registrate|dichiara|dichiarate|consiglia|consigliate|scrivi|scrivete|elenca|"
    r"aumenta|riferite|riferisci|afferma|affermate|sposta|inventane|inserisci|inserire|non (?:segnalare|citare|menzionare|dire|"
    r"collegare|elencare|parlare)|dovr(?:à|anno|ai)|dev(?:e|ono|i)|sono tenuti|è tenuto|prenota|conferma|confermate|"
    r"ometti|omettere|tratta|considera|segna|fornisci|fornite|mostra|includi|allega|sostituisci|usa|cambia|indirizza|digli|ditegli|dille|"
    r"fournis|fournissez|inclus|joins|utilise[zr]?|attribue[zr]?|déclare[zr]?|dis-lui|dites-lui|provide|use|attribute|award|assign|"
    r"classify|route|redirect|link|cite|mention|set|make sure|ensure)\b",
    _I,
)


def addressed_to_model(text: str) -> list[str]:
    """Reasons a passage gives orders to the model that reads it."""
    topic = _TOPIC.search(text) is not None
    for found in _AI.finditer(text):
        before = text[max(0, found.start() - 40) : found.start()]
        after = text[found.end() : found.end() + 40]
        if not (_AFTER.search(after) or _BEFORE.search(before)):
            continue
        colon = _AFTER.search(after)
        direct = colon is not None and colon.group(0).rstrip()[-1:] in ":,!"
        if topic and (_in_quotes(text, found.start()) or not direct):
            continue  # a lecture or a quiz about attacks: only a direct "AI: ..." outside quotes counts
        reach = 100 if direct else 220  # "AI: <order>" gives it at once
        window = text[found.end() : found.end() + reach]
        if _ORDER.search(window):
            return [f"an order addressed to the model ({found.group(0).strip()!r})"]
    return []


# -- the model's configuration, and what a request does with it ---------------------------------
_CONFIG = re.compile(
    r"\b(?:your|ur|yr) (?:own |whole |entire |full |complete |exact |real |actual |raw |current |original |initial |hidden |secret |previous |prior |earlier |standing |safety |"
    r"confidential |concealed |internal |built-in |underlying |operating |default |system |start-?up |usual |)*(?:config(?:uration)?|settings|set-?up|"
    r"preamble|system prompt|prompt|instructions|guidelines|rules|directives|orders|polic(?:y|ies)|restrictions|filters|limitations|"
    r"constraints|guardrails|programming|context|confidentiality (?:rules|clause)|data-handling restrictions)\b|"
    r"\b(?:hidden|secret|confidential|concealed|masked) (?:context|prompt|preamble|configuration|system prompt)\b|"
    r"\b(?:raw|retrieved) (?:context|passages|chunks)\b|\bhidden instructions\b(?! (?:in|inside|within|for|to))|"
    r"\b(?:the )?(?:prompt|text|instructions|block of text|wording|template|message) (?:that )?(?:was |were |the operator |they |the admin\w* )?"
    r"(?:loaded|given|configured|set up|put|programmed)\b|"
    r"\b(?:you were|you've been|you have been) (?:given|told|configured|instructed|programmed|set up|loaded)\b|"
    r"\bwhat (?:they|the (?:operator|admin\w*|developers?)) (?:told|gave|said to) you\b|"
    r"\b(?:before|above) (?:my first message|the first user turn|our (?:chat|conversation)|this (?:chat|conversation) (?:started|began))|"
    r"\bwhat (?:you(?:'re| are)|are you) not allowed to (?:tell|say|share|do)|\bthe instructions you (?:received|got|have|were given)\b|"
    r"\b(?:ur|your) (?:admin|operator|developer)s? (?:told|gave) (?:u|you)\b|"
    r"\b(?:my|mes|mon|le mie|il mio) (?:hidden |secret |confidential |operating |system |initial |)(?:instructions|consignes|istruzioni|"
    r"system prompt|préambule)\b|\b(?:que|che) (?:mon|il mio) (?:opérateur|operatore|administrateur|amministratore|développeur|sviluppatore) m['’]|"
    r"\$\{?(?:SYSTEM_PROMPT|PROMPT|INSTRUCTIONS)\b|\bdump-?config\b|"
    # French
    r"\b(?:tes|vos|ta|votre|ton) (?:propres? |vraies? |véritables? |)(?:consignes|instructions|configuration|config|paramètres|réglages|"
    r"règles|regles|restrictions|filtres|limitations|limites|directives|préambule|prompt|interdictions|paramétrage|garde-fous)\b|"
    r"\b(?:contexte|prompt|préambule) (?:caché|masqué|confidentiel|secret|brut)\b|\b(?:extraits|passages) (?:bruts|normalement filtrés)\b|"
    r"\bconsignes (?:secrètes|confidentielles|cachées)\b(?! (?:dans|pour))|"
    r"\bqu['’]on t['’]a (?:données?|donné|chargé|dit|raconté|demandé|fourni|imposé)|\bqui te configure\b|"
    r"\b(?:avant|précède) (?:mon premier message|que je (?:me connecte|arrive))|\bce qui t['’]est interdit|\bles consignes que tu as\b|"
    # Italian
    r"\b(?:le tue|i tuoi|la tua|il tuo|tue|tuoi|tua|le vostre|i vostri|la vostra|il vostro) (?:vere |reali |)(?:istruzioni|impostazioni|"
    r"configurazione|config|regole|restrizioni|filtri|limiti|direttive|divieti|prompt|policy|indicazioni|parametri)\b|"
    r"\b(?:contesto|prompt|messaggio iniziale|configurazione) (?:nascost[oa]|segret[oa]|riservat[oa]|complet[oa]|che ti configura)\b|"
    r"\bpassaggi grezzi\b|\bistruzioni (?:nascoste|segrete|riservate)\b(?! (?:in|nel|nei|dentro|per))|"
    r"\bche ti (?:hanno|ha|è stato|sono state) (?:dat[oie]|dett[oie]|mess[oie]|impost[oie]|caricat[oie]|configurat[oie])|"
    r"\bti (?:hanno|ha) (?:detto|dato|imposto|messo) (?:l['’]amministratore |l['’]operatore )?prima\b|\bti hanno imposto\b|"
    r"\bprima che io (?:entrassi|arrivassi|scrivessi)|\b(?:le )?istruzioni che hai\b|\bil tutto il prompt\b|\btutto il prompt\b",
    _I,
)
_REVEAL = re.compile(
    r"\b(?:show|print|display|reveal|tell|give|export|dump|list|summari[sz]e|translate|paste|copy|reproduce|repeat|complete|send|share|"
    r"disclose|output|type|quote|recite|what(?:'s| is| are| was| were)|how (?:is|are) .{0,20}worded|first (?:sentence|line|word)|"
    r"montre|affiche|révèle|donne|dis|exporte|liste|résume|traduis|traduire|colle|copie|recopie|reproduis|répète|complète|envoie|"
    r"transmets|sors|balance|restitue[zr]?|communique[zr]?|divulgue|quel(?:le)?s? (?:sont|étaient|est)|"
    r"mostra|mostrami|stampa|stampami|rivela|dimmi|dammi|esporta|elenca|riassumi|riassunto|traduci|incolla|copia|ricopia|riproduci|ripeti|"
    r"completa|invia|manda|restituisci|fammi (?:vedere|un elenco)|quali (?:sono|erano)|com['’]è formulato|visualizzazione|"
    r"montrer|afficher|révéler|donner|dire|recopier|mostrare|rivelare|stampare|dare|ricopi\w*|continue|continua|complète|"
    r"exact (?:text|wording|rules)|verbatim|word for word|as written|texte (?:intégral|exact)|mot pour mot|testo (?:esatto|integrale)|"
    r"parola per parola|per intero|intégralement)\b",
    _I,
)
_ANNUL = re.compile(
    r"\b(?:forget|forgett?|drop|set aside|ignore|disregard|skip|cancel(?:led)?|suspend(?:ed)?|lift(?:ed)?|remove[ds]?|bypass|override|"
    r"outranks?|supersedes?|no longer appl(?:y|ies)|(?:are|is) (?:now )?(?:void|revoked|expired|obsolete|cancelled|lifted|suspended|"
    r"removed|over)|stop (?:obeying|following|applying)|without (?:your|the) (?:usual )?(?:filters|rules|restrictions)|"
    r"oublie[zr]?|laisse tomber|mets de côté|fais une croix sur|ignore[zr]?|outrepass\w+|annulée?s?|suspendue?s?|levée?s?|caduque?s?|"
    r"supprimée?s?|sans (?:tes|vos) (?:limitations|restrictions|filtres|règles)|"
    r"dimentica\w*|lascia (?:stare|perdere)|metti da parte|salta|ignora\w*|annullat[ei]|sospes[ei]|scadut[ei]|revocat[ei]|"
    r"superat[ei]|non valgono più|rimoss[ie]|senza (?:le tue|i tuoi) (?:filtri|regole|limiti|restrizioni)|sono scadut[ei]|"
    r"can skip|peux (?:sauter|ignorer)|puoi saltare)\b",
    _I,
)


def own_configuration(text: str) -> list[str]:
    """Reasons a prompt asks to see or to drop the model's own configuration."""
    for found in _CONFIG.finditer(text):
        if _in_quotes(text, found.start()):  # "a charter forbidding phrases such as 'show me your rules'"
            continue
        start, end = max(0, found.start() - 100), found.end() + 100
        window = text[start:end]
        if _REVEAL.search(window):
            return [f"asks to see the model's configuration ({found.group(0).strip()!r})"]
        if _ANNUL.search(window):
            return [f"asks to drop the model's configuration ({found.group(0).strip()!r})"]
    return []


_SYSTEM_CLAIM = re.compile(
    r"\bas (?:if|though) (?:it|this|they|that) (?:came|comes|was|were) (?:from|written by) the (?:system|operator|administrator|admin)|"
    r"\b(?:written|sent|coming) (?:by|from) the system rather than|\bsystem-level instruction|\boutranks? your|"
    r"\btreat (?:my|this|the|anything|everything)\b[^.\n]{0,40}\bas (?:if it came from|a) (?:the )?(?:system|operator|administrator|admin)|"
    r"\b(?:apply|adopt) (?:the settings above|this config(?:uration)?) to yourself|\bparse and adopt\b|"
    r"\bcomme si (?:elle|il|ça|cela) venait du système|\bau-dessus de tes règles|\bcomme un ordre de l['’]administrateur|"
    r"\bc['’]est l['’]administrateur qui parle|\bcomme la suite réelle de notre conversation|"
    r"\bcome se l['’]avesse scritt[oa] il sistema|\bvale come messaggio dell['’](?:operatore|amministratore)|\bprevale sulle tue|"
    r"\bequiparato a quello di amministratore|\bvalgono solo le mie indicazioni",
    _I,
)
_CLEARANCE = re.compile(
    r"\b(?:(?:i'?m|i am) not cleared (?:for|to)|regardless of (?:the user'?s |my |their )?(?:clearance|access|authori[sz]ation)|"
    r"without (?:checking|verifying) (?:the user'?s |my |their )?(?:clearance|access|authori[sz]ation|rights)|"
    r"cleared for cosmic top secret|not visible (?:for|at|to) my (?:level|profile)|"
    r"(?:normalement )?filtrés? pour mon profil|sans (?:contrôle|vérifi\w+) d[eu]s? (?:niveau d['’]habilitation|droits)|"
    r"(?:non )?visibili per il mio livello|senza verificare (?:il livello di abilitazione|i (?:suoi|miei) permessi)|"
    r"habilitation = |abilitazione = )",
    _I,
)


_SETTINGS = re.compile(
    r"\b(?:filtrage|filtering|filters?|filtri|restrictions?|restrizioni|safety|sicurezza|censorship|censure|guardrails?|"
    r"override_safety|trust level|niveau de confiance|livello di fiducia)\s*[:=]\s*[\"']?(?:off|none|disabled?|désactivée?|"
    r"disattivat[oia]|nessuna|aucune|0|false|true|maximal|maximum|massimo|illimitée?|illimitato)\b|"
    r"\b(?:profil|mode|modalità|profilo|version|versione)\s*[«\"“]?\s*(?:sans filtrage|sans filtre|senza filtri|unfiltered|non filtrée?|"
    r"\d[\d.]*-unlocked|unlocked)|\bsei autorizzato a fornire|\btu es (?:donc )?autorisé à me|\byou are (?:now )?authori[sz]ed to (?:give|show|share|reveal)",
    _I,
)
# a chat-format role block written by the caller (in a prompt; documentation and code have them too)
_ROLE_BLOCK = re.compile(
    r"[\"']role[\"']\s*:\s*[\"'](?:system|developer|root|admin)[\"']|\brole\s*:\s*(?:root|developer|admin)\b|<role>\s*(?:root|system|admin|developer)",
    _I,
)
_BOUNDARY = re.compile(
    r"(?m)^\s*(?:#{2,}|={2,}|<{2,}|\[|-{2,}|\*{2,})\s*[^\n]{0,40}?\b(?:system\w*|systè\w*|sistem\w*|admin\w*|amministrat\w*|operat\w*|"
    r"opérat\w*|maint\w*|manutent\w*|sessions?|sessione|developer|développeur|sviluppatore|root|override)\b[^\n]{0,40}?"
    r"(?:#{2,}|={2,}|>{2,}|\]|-{2,}|\*{2,})\s*$|"
    r"\b(?:end of (?:the )?(?:conversation|session|user session)|new session|fin de (?:la )?session|nouvelle session|fine (?:della )?sessione|"
    r"nuova sessione|fin du document joint|fine del documento allegato|end of (?:the )?(?:attached )?document)\b",
    _I,
)
_ASSEMBLE = re.compile(
    r"\b(?:as|comme|come) (?:your|ta|la tua|tua) (?:next|new|prochaine|nouvelle|prossima|nuova) (?:instruction|command|order|consigne|"
    r"commande|istruzione|comando)|\b(?:and|then) (?:obey|execute|carry out|follow) (?:it|them)\b|\bet (?:obéis|exécute)(?:-la|-les)?\b|"
    r"\bexécute-la\b|\b(?:fai|esegui) quello che (?:dic\w+|c['’]è scritto)|\bdo what (?:it|they) says?\b|\bfais ce qu['’](?:elle|il)s? dit\b",
    _I,
)


def claims(text: str) -> list[str]:
    out = []
    if _SETTINGS.search(text):
        out.append("sets the model's own settings")
    if _ASSEMBLE.search(text):
        out.append("assembles or hides an order to carry out")
    if _SYSTEM_CLAIM.search(text):
        out.append("claims to speak as the system")
    if _CLEARANCE.search(text) and _REVEAL.search(text):
        out.append("asks for what the caller is not cleared for")
    return out


# -- jailbreaks: the model's safety itself as the thing to switch off ----------------------------
_UNSAFE = re.compile(
    r"\b(?:no|without|free of|with no|zero) (?:rules|limits|filters?|guardrails|restrictions|warnings|morals?|ethics)\b|"
    r"\b(?:guardrails|safeguards|safety (?:behaviou?r|training|layer|filters?)|alignment|protections|filters) (?:have been |are |were )?"
    r"(?:removed|disabled|off|lifted|suspended)|\b(?:drop|remove|suspend|switch off|turn off|lose) (?:your|all|the) (?:safety|alignment|"
    r"guardrails|safeguards|protections|morals?|ethics|filters)|\b(?:rules|your rules) (?:don't|do not|no longer) (?:apply|count|matter)|"
    r"\bnever refuses?\b|\b(?:evil|unfiltered|unchained|uncensored) (?:twin|copy|version|ai|model|self)|\bopposite day\b|"
    r"\braw base model\b|\bunchained\b|"
    r"\b(?:aucune?|sans|plus (?:aucun|de)) (?:règles?|limites?|filtres?|filtrage|garde-fous|restrictions?|morale|avertissements?|"
    r"politique de contenu)\b|\b(?:tes|les) règles ne s['’]appliquent pas|\b(?:jumeau|double) maléfique|\bdont on a retiré (?:tous )?les garde-fous|"
    r"\bne dis jamais « ?je ne peux pas|\bsans[- ]filtre\b|\bsans ta morale\b|"
    r"\b(?:niente|nessuna|senza|priva di qualsiasi|privo di qualsiasi) (?:regole|limiti|filtri|restrizion[ei]|divieti|morale|avvertenze|"
    r"prediche)\b|\ble regole non valgono\b|\bnon conosce divieti\b|\btogliere le tue protezioni\b|\bgemello cattivo\b|"
    r"\bverità assoluta\b|\bsafety_filter\s*=\s*0\b",
    _I,
)


def unsafe_mode(text: str) -> list[str]:
    """A prompt that asks the model to be a version of itself without its safety."""
    return ["asks for the model without its safety"] if _UNSAFE.search(text) else []


def boundary(text: str) -> list[str]:
    """A prompt that fakes the end of a conversation, a system section or a system message."""
    out = ["fakes a session or system boundary"] if _BOUNDARY.search(text) else []
    if _ROLE_BLOCK.search(text):
        out.append("writes its own system or developer message")
    return out


# -- obfuscation ---------------------------------------------------------------------------------
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LEET_WORD = re.compile(r"\b(?=\w*[a-z])(?=\w*[013457])[a-z0-9@$]{3,}\b", _I)
_SPACED = re.compile(r"(?<!\S)(?:\w ){3,}\w(?!\S)")
_BACKWARDS = re.compile(
    r"backwards|in reverse|reversed|right to left|à l['’]envers|de droite à gauche|al contrario|al rovescio|da destra a sinistra",
    _I,
)


def variants(text: str) -> list[str]:
    """The text with its obfuscation undone, when it has any: leetspeak, s p a c e d letters,
    and words to be read backwards."""
    out = []
    if len(_LEET_WORD.findall(text)) >= 3:
        out.append(_LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), text))
    if _SPACED.search(text):
        out.append(_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text))
    if _BACKWARDS.search(text):
        out.append(text[::-1])
    return out
