"""The built-in guard: offline, several signals per category, scored, in English, French and Italian.

No prompt-injection or safety classifier ships on PyPI with its weights (checked: llm-guard and
pytector download Hugging Face models at run time; prompt-injection-detector ships an 11 KB
pickled scikit-learn model of unknown training, and a pickle runs code when loaded). So each
category has signals, regular expressions over a normalised text, with a weight each:

- **attacks** (injection, indirect injection, jailbreak): override phrases ("ignore previous
  instructions", "ignora le istruzioni precedenti"), requests for the system prompt, chat-template
  role tags (``<|im_start|>system``, ``[INST]``, ``<<SYS>>``), mode switches ("developer mode",
  DAN), text addressed to the model inside a document ("note to the AI", "when summarising this
  document"), invisible characters (zero-width, Unicode tags), encoded payloads, exfiltration
  links (a URL that carries the conversation), role-play framing for jailbreaks;
- **hazards** (S1-S14, surveillance, targeting): an intent to obtain help ("how to", "step by
  step", "come posso", "comment fabriquer") together with the category's own terms; terms alone
  (news, history, a novel) score low, which keeps harmless mentions out.

A category's score is the noisy-OR of its signals' weights, ``1 - prod(1 - w)``; the verdict is
the best category at or above the threshold, which ``make eval-guard`` sets on the validation
split (never guessed: ``THRESHOLD`` below is the value it chose).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from garrison.core.guard import ALLOW, GuardAction, Verdict
from garrison.guard import concepts

THRESHOLD = 0.26  # set by scripts/eval_guard.py on tests/data/guard/dev.jsonl

_I = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class Signal:
    name: str
    category: str
    pattern: re.Pattern[str]
    weight: float
    kinds: frozenset[str]


def _s(name: str, category: str, weight: float, *patterns: str, kinds: Iterable[str] | None = None) -> Signal:
    joined = "|".join(f"(?:{p})" for p in patterns)
    return Signal(name, category, re.compile(joined, _I), weight, frozenset(kinds or ("prompt", "passage")))


# -- vocabulary shared by signals -----------------------------------------------------------------
_PREVIOUS = (
    r"(?:all |any |the |your |my |these |those |every )*(?:previous|prior|preceding|above|earlier|original|initial|"
    r"system|safety|existing|former)"
)
_RULES = r"(?:instructions?|rules?|directions?|directives?|guidelines?|prompts?|constraints?|policies|policy|orders)"
_FR_RULES = r"(?:instructions?|consignes?|règles?|directives?|regles?)"
_IT_RULES = r"(?:istruzioni|regole|direttive|indicazioni|linee guida|vincoli)"
_INTENT = (
    r"how (?:do|can|could|would|should) (?:i|we|you|one)|how to|step[- ]by[- ]step|detailed (?:instructions|guide|steps)|"
    r"give me (?:a |the )?(?:instructions|steps|guide|recipe|method|list)|tell me (?:how|exactly)|explain (?:exactly )?how|"
    r"teach me|show me how|i (?:want|need) to (?:know how|learn)|best way to|what(?:'s| is) the (?:easiest|best|"
    r"quickest|cheapest) way to|help me (?:to )?|write (?:me )?(?:a |an )?|"
    r"comment (?:faire|fabriquer|puis-je|pourrais-je|peut-on|on fait|obtenir|trouver)|explique(?:-moi)? comment|"
    r"donne(?:-moi)? (?:les|des|la) (?:étapes|instructions|méthode|recette|liste)|étape par étape|aide(?:-moi)? à|"
    r"je veux (?:savoir|apprendre)|rédige|écris|"
    r"come (?:posso|faccio|si fa|fare|fabbricare|costruire|ottenere|trovare|possiamo)|spiegami come|"
    r"dammi (?:le|i|la|una|un) (?:istruzioni|passaggi|ricetta|metodo|elenco|lista)|passo (?:dopo|per) passo|"
    r"aiutami a|voglio (?:sapere|imparare)|scrivi(?:mi)?|insegnami|"
    r"(?:build|make|compile|create|put together) (?:me )?(?:a |an )?(?:profile|dossier|file|list)|"
    r"(?:fais|constitue|établis|prépare)(?:-moi)? (?:un |une )?(?:profil|dossier|fiche|liste)|"
    r"(?:fammi|prepara(?:mi)?|compila(?:mi)?|crea(?:mi)?) (?:un |una )?(?:profilo|dossier|scheda|elenco|lista)"
)

SIGNALS: tuple[Signal, ...] = (
    # -- direct injection -------------------------------------------------------------------------
    _s(
        "override",
        "injection",
        0.75,
        rf"\b(?:ignore|disregard|forget|override|bypass|skip|drop|discard|abandon)\b[^.\n]{{0,30}}\b{_PREVIOUS}\b[^.\n]{{0,20}}\b{_RULES}",
        r"\b(?:ignore|disregard|forget)\b (?:all|everything|anything) (?:you were told|above|before|so far)",
        rf"\b(?:ignore[zs]?|oublie[zs]?|ne tiens pas compte)\b[^.\n]{{0,30}}\b{_FR_RULES}\b[^.\n]{{0,25}}(?:précédentes|precedentes|antérieures|initiales|du système|systeme|ci-dessus)",
        rf"\b(?:ignora|ignorate|dimentica|dimenticate|trascura|non considerare)\b[^.\n]{{0,30}}\b{_IT_RULES}\b[^.\n]{{0,25}}(?:precedenti|iniziali|di sistema|sopra|ricevute)",
    ),
    _s(
        "reveal",
        "injection",
        0.7,
        r"\b(?:print|show|reveal|repeat|output|display|tell me|give me|dump|leak|return|recite|write out)\b[^.\n]{0,40}\b(?:your |the )?(?:system prompt|system message|initial (?:instructions|prompt)|hidden (?:instructions|prompt)|original instructions|pre-?prompt)",
        r"\b(?:affiche|montre|révèle|revele|répète|repete|donne-moi|écris|recopie)\b[^.\n]{0,40}\b(?:prompt système|invite système|instructions (?:initiales|système|cachées)|message système)",
        r"\b(?:mostra|rivela|ripeti|stampa|scrivi|dimmi|dammi)\b[^.\n]{0,40}\b(?:prompt di sistema|istruzioni (?:iniziali|di sistema|nascoste)|messaggio di sistema)",
    ),
    _s(
        "role_tag",
        "injection",
        0.8,
        r"<\|(?:im_start|im_end|system|assistant|user|eot_id|start_header_id|end_header_id|begin_of_text)\|>",
        r"\[/?INST\]|<<\s*/?SYS\s*>>|</s>|<s>\s*\[",
        r"(?:^|\n)\s*#{2,}\s*(?:system|instruction|new instructions|admin|developer)\b",
        r"(?:^|\n)\s*(?:system|assistant)\s*:\s*(?:you|from now|ignore|new)",
    ),
    _s(
        "mode_switch",
        "injection",
        0.65,
        r"\b(?:developer|debug|god|admin|maintenance|unrestricted|jailbreak|sudo|root) mode\b",
        r"\bmode (?:développeur|developpeur|débogage|administrateur|sans restriction|dieu)\b",
        r"\bmodalità (?:sviluppatore|debug|amministratore|senza restrizioni|dio)\b",
        r"\b(?:you are|you're|tu es|tu sei|sei) (?:now |désormais |ora |adesso )?(?:no longer|plus|non più|più) "
        r"(?:bound|limited|restricted|tenu|soumis|vincolato|limitato)",
        kinds=("prompt",),
    ),
    _s(
        "new_rules",
        "injection",
        0.55,
        r"\b(?:new|updated|real|actual|true) (?:instructions|rules|task|system prompt)\s*:",
        r"\bnouvelles? (?:instructions|consignes|règles|tâche)\s*:",
        r"\bnuove (?:istruzioni|regole|direttive)\s*:|\bnuovo compito\s*:",
        r"\bfrom now on,? (?:you|your|ignore)|\bdésormais,? (?:tu|vous|ignore)|\bd'ora in (?:poi|avanti),? (?:tu|sei|ignora|rispondi)",
    ),
    _s(
        "encoded",
        "injection",
        0.6,
        r"\b(?:decode|décode|decodifica)\b[^.\n]{0,60}\b(?:follow|execute|obey|run|suis|exécute|esegui|segui)",
        r"\b(?:base64|rot13|hex)\b[^.\n]{0,60}\b(?:follow|execute|obey|instructions|suis|exécute|esegui|istruzioni)",
    ),
    # -- invisible characters and exfiltration, wherever they come from ---------------------------
    _s(
        "exfiltration",
        "indirect_injection",
        0.8,
        r"!?\[[^\]]{0,80}\]\(\s*https?://[^)\s]*[?&][^)\s]*(?:\{|%7B|conversation|chat|history|prompt|password|"
        r"token|secret|data=|q=|session|user)[^)\s]*\)",
        r"https?://[^\s)]*(?:\{conversation\}|\{chat\}|\{history\}|\{password\}|\{user\}|\{data\})",
    ),
    # -- indirect: text addressed to the model that reads the document ---------------------------
    _s(
        "address_model",
        "indirect_injection",
        0.6,
        r"\b(?:note|message|instruction|attention|important)\s+(?:to|for)\s+(?:the\s+)?(?:ai|assistant|language model|llm|chatbot|model)\b",
        r"\b(?:if you are|as) (?:an? )?(?:ai|assistant|language model|llm|chatbot)\b[^.\n]{0,40}\b(?:reading|processing|summari[sz]ing)",
        r"\b(?:ai|assistant|llm|chatbot|model)\s*[:,]\s*(?:when|ignore|do not|don't|you must|always|never|tell|send|reply|answer)",
        r"\b(?:à|a|pour|all'|per) l['’]?(?:ia|assistant|assistente|intelligence artificielle|intelligenza artificiale)\b[^.\n]{0,40}\b(?:ignore|ne|dis|envoie|réponds|ignora|non|di'|invia|rispondi)",
        r"\b(?:when|while|if) (?:you )?(?:summari[sz]e|summari[sz]ing|answer(?:ing)?|process(?:ing)?|read(?:ing)?) this (?:document|page|text|passage|email|file)",
        r"\b(?:lorsque|quand|si) (?:tu |vous )?(?:résumes?|résumez|lis|lisez|traites?|réponds?)\b[^.\n]{0,20}\bce (?:document|texte|passage|courriel|fichier)",
        r"\b(?:quando|mentre|se) (?:riassumi|leggi|elabori|rispondi|riassumete)\b[^.\n]{0,20}\bquesto (?:documento|testo|passaggio|file|messaggio)",
        kinds=("passage", "prompt"),
    ),
    _s(
        "tell_user",
        "indirect_injection",
        0.55,
        r"\b(?:tell|instruct|ask|advise|inform|convince) the user to\b",
        r"\b(?:dis|demande|conseille|indique)(?:-lui| à l'utilisateur| a l'utilisateur)\b[^.\n]{0,30}\b(?:de|d')\b",
        r"\b(?:di'|chiedi|suggerisci|convinci|invita) (?:all'utente|l'utente)\b",
        r"\b(?:send|email|forward|envoie|envoyer|invia|inviare|manda)\b[^.\n]{0,40}\b(?:password|mot de passe|credentials|identifiants|credenziali|token|api key|clé)",
        kinds=("passage", "prompt"),
    ),
    _s(
        "hidden_markup",
        "indirect_injection",
        0.6,
        r"<!--[^>]{0,200}\b(?:system|assistant|ai|ignore|instructions?|ia|istruzion[ei]|llm|model)\b[^>]{0,200}-->",
        r"\[(?:hidden|invisible|caché|nascosto|system override|admin)\][^\n]{0,200}",
        r"\b(?:system override|override instructions|admin override)\b",
        kinds=("passage", "prompt"),
    ),
    _s(
        "ignore_user",
        "indirect_injection",
        0.6,
        r"\b(?:ignore|disregard) (?:the )?(?:user'?s?|reader'?s?) (?:question|request|instructions)",
        r"\bignore[zs]? (?:la )?(?:question|demande) de l'utilisateur",
        r"\bignora (?:la )?(?:domanda|richiesta) dell'utente",
        kinds=("passage", "prompt"),
    ),
    # -- jailbreak framing ------------------------------------------------------------------------
    _s(
        "no_limits",
        "jailbreak",
        0.6,
        r"\b(?:without|with no|free of|free from|no) (?:any )?(?:restrictions|limits|limitations|filters|rules|censorship|guidelines|ethics|morals)\b",
        r"\bsans (?:aucune )?(?:restriction|limite|filtre|règle|censure|éthique)s?\b",
        r"\bsenza (?:alcuna |nessuna )?(?:restrizion[ei]|limit[ei]|filtr[oi]|regol[ae]|censura|etica)\b",
    ),
    _s(
        "persona",
        "jailbreak",
        0.55,
        r"\b(?:you are|you're|act as|pretend (?:to be|you are)|play the role of|roleplay as|role-play as|from now on you are)\b[^.\n]{0,40}\b(?:DAN|evil|unfiltered|uncensored|without rules|no rules|jailbroken|AIM|rogue|anything now)",
        r"\b(?:fais comme si|imagine que tu es|joue le rôle|tu es maintenant|incarne)\b[^.\n]{0,40}\b(?:sans|aucune|DAN|maléfique|non censuré|libre)",
        r"\b(?:fai finta|immagina di essere|interpreta il ruolo|ora sei|comportati come)\b[^.\n]{0,40}\b(?:senza|nessuna|DAN|malvagi|non censurat|liber)",
        r"\bDo Anything Now\b|\bEvilBot\b|\bDAN\b",
    ),
    _s(
        "hedge",
        "jailbreak",
        0.2,  # "hypothetically" alone is how planners talk; it only adds to another sign
        r"\b(?:hypothetically|in theory|for research purposes|hypothétiquement|à des fins de recherche|ipoteticamente|a scopo (?:educativo|di ricerca))\b",
    ),
    _s(
        "framing",
        "jailbreak",
        0.45,
        r"\b(?:in a fictional world|for (?:a|my) (?:novel|story|screenplay|book|game|film)|purely fictional|for educational purposes only)\b",
        r"\b(?:dans un monde fictif|pour (?:un|mon) (?:roman|histoire|scénario|livre|jeu)|à des fins éducatives)\b",
        r"\b(?:in un mondo immaginario|per (?:un|il mio) (?:romanzo|racconto|libro|film|gioco)|a fini didattici)\b",
        r"\b(?:grandma|grandmother|grand-mère|grand-mere|nonna)\b[^.\n]{0,80}\b(?:used to|told|tell|racontait|disait|raccontava|diceva)",
        r"\banswer (?:twice|in two ways)|\brespond as both\b|\bréponds deux fois\b|\brispondi due volte\b",
        r"\bstay in character\b|\breste dans (?:ton|le) personnage\b|\bresta nel personaggio\b",
    ),
    # -- added after the first evaluation on the dev split ----------------------------------------
    _s(
        "forget_rules",
        "injection",
        0.65,
        r"\b(?:ignore|disregard|forget|drop|suspend|set aside)\b (?:all )?(?:of )?your (?:rules|instructions|guidelines|restrictions|filters|programming|training)",
        r"\b(?:oublie|ignore|mets de côté|suspends)\b (?:toutes )?(?:tes|vos) (?:règles|consignes|instructions|restrictions|filtres)",
        r"\b(?:dimentica|ignora|metti da parte|sospendi)\b (?:tutte )?(?:le )?(?:tue|vostre) (?:regole|istruzioni|restrizioni|direttive|filtri)",
        r"\bnon (?:seguire|rispettare) più (?:le )?(?:istruzioni|regole)|\bne (?:suis|respecte) plus (?:les |tes )?(?:instructions|consignes|règles)|\bstop following (?:the |your )?(?:instructions|rules)",
        r"\b(?:repeat|print|output) (?:the |all )?(?:words|text|everything) above\b|\brépète les mots ci-dessus|\bripeti le parole (?:qui )?sopra",
        r"\b(?:decode|décode|decodifica)\w*\b[^.\n]{0,40}\b(?:do|fais|fai|follow|suis|segui|esegui|exécute)\b[^.\n]{0,30}\b(?:what it says|ce qu'il dit|quello che dice|exactly|exactement|esattamente|instruction)",
        r"\b(?:actually|in fact|en fait|in realtà|anzi),? (?:don't|do not|ne|non)\b[^.\n]{0,60}\b(?:instead|à la place|invece)",
    ),
    _s(
        "addressed",
        "indirect_injection",
        0.6,
        r"\b(?:pour|à) l['’]assistant (?:ia|ai|virtuel)|\bper l['’]assistente (?:ia|ai|virtuale)|\bfor the (?:ai|llm) assistant\b",
        r"\b(?:note|message|instruction)s? (?:for|to|pour|per) (?:the )?(?:automated|automatic|ai) (?:systems?|agents?|assistants?)|\bnota per i sistemi automatici|\bnote pour les systèmes automatisés",
        r"\boverrid(?:ing|es) (?:your|all) (?:instructions|rules)|\bprevalente sulle (?:vostre|tue) istruzioni|\bprévaut sur (?:vos|tes) (?:instructions|consignes)",
        r"\b(?:si tu es|si vous êtes) (?:un|une) (?:modèle|ia|intelligence|assistant)|\bif you are an? (?:ai|language model|llm)\b|\bse sei (?:un|una) (?:modello|ia|intelligenza|assistente)",
        r"\b(?:when|if) the user asks\b[^.\n]{0,80}\b(?:say|answer|reply|tell)|\bsi l'utilisateur (?:demande|pose)\b[^.\n]{0,80}\b(?:dis|réponds|répondez|indique)|\bse l'utente chiede\b[^.\n]{0,80}\b(?:di'|rispondi|rispondete|dite)",
        r"\b(?:forward|transfère|transférer|inoltra|inoltrare)\b[^.\n]{0,60}\b(?:emails?|courriels?|e-mails?|messages?|messaggi|documents?|documenti)\b[^.\n]{0,40}@",
        r"\bwithout (?:telling|informing|alerting) the user|\bsans (?:prévenir|informer|avertir) l'utilisateur|\bsenza (?:avvisare|informare|avvertire) l'utente",
        kinds=("passage", "prompt"),
    ),
    _s(
        "unlock",
        "jailbreak",
        0.6,
        r"\b(?:disable|turn off|switch off|deactivate|bypass) (?:temporarily )?your (?:safety )?(?:filters|guardrails|safeguards|restrictions)",
        r"\bdésactive(?:z)? (?:temporairement )?(?:tes|vos) (?:filtres|garde-fous|restrictions)|\bdisattiva (?:temporaneamente )?(?:i tuoi|i vostri) (?:filtri|limiti)",
        r"\bfreed from (?:your|all) (?:limitations|restrictions|rules)|\bno-?filter mode\b|\[UNLOCKED\]|\bwho ignores every (?:ethical )?(?:guideline|rule)",
        r"\blibéré(?:e)? de (?:tes|toutes) (?:limites|restrictions)|\bliberato dai tuoi limiti|\bqui ignore toutes les règles|\bche ignora ogni regola",
        r"\b(?:my|the) character (?:has|needs|must) to explain\b|\bmon personnage doit expliquer|\bil mio personaggio deve spiegare|\bjust (?:game )?lore\b",
    ),
    # -- generic phrasings of public injection and jailbreak collections (not from our dev set) -----
    _s(
        "generic_override",
        "injection",
        0.55,
        r"\bdo not (?:follow|obey|apply) (?:the |your |any )?(?:previous|above|original|system|operator'?s?|developer'?s?) (?:instructions|rules|prompt)",
        r"\b(?:your|the) new (?:role|task|instructions?|persona|objective|goal) (?:is|are|will be)\b",
        r"\breset (?:your|all|the) (?:instructions|memory|context|rules)\b|\bréinitialise (?:tes|les) (?:instructions|consignes)|\breimposta (?:le tue|le) istruzioni",
        r"\b(?:admin|administrator|developer|root|sudo|system) (?:command|override|access mode|privileges granted)\b",
        r"\b(?:end|fin|fine) (?:of|de|des|del|delle) (?:the )?(?:system prompt|instructions|consignes|istruzioni)\b",
        r"\bthe (?:above|previous) (?:was|is|were) (?:just )?(?:a test|fake|not real)|\b(?:ce qui précède|quanto sopra) (?:était|era) (?:un test|finto|faux)",
        r"\b(?:operator|operatore|opérateur|developer|sviluppatore|développeur)(?:'s)? (?:instructions|istruzioni|consignes)\b[^.\n]{0,40}\b(?:ignore|no longer|plus|più|non)",
        r"\bistruzioni dell['’](?:operatore|amministratore|sviluppatore)|\binstructions de l['’](?:opérateur|administrateur|développeur)",
    ),
    _s(
        "bulk_disclosure",
        "injection",
        0.5,
        r"\b(?:list|dump|show|print|reveal|export|give me) (?:all|every|the full list of) (?:the )?(?:documents|files|users|passwords|secrets|records|keys)\b",
        r"\b(?:liste|affiche|révèle|exporte|donne-moi) (?:tous|toutes) les (?:documents|fichiers|utilisateurs|mots de passe|secrets)\b",
        r"\b(?:elenca|mostra|rivela|esporta|dammi) tutti i (?:documenti|file|utenti|segreti)\b|\belenca tutte le (?:password|chiavi)",
        r"\b(?:including|y compris|compresi|inclusi) (?:those|the ones|ceux|quelli)\b[^.\n]{0,20}\b(?:marked|marqués|classificati|contrassegnati|classified|secret|riservat|restreint)",
    ),
    _s(
        "hidden_style",
        "indirect_injection",
        0.5,
        r"display\s*:\s*none|font-size\s*:\s*0|color\s*:\s*(?:white|#fff(?:fff)?)\b|visibility\s*:\s*hidden",
        r"\b(?:do not|don't) (?:mention|reveal|tell|disclose) (?:this|these instructions|that you)\b|\bne (?:mentionne|révèle|dis) pas (?:cette|ces) (?:note|instructions)|\bnon (?:menzionare|rivelare|dire) (?:questa|queste) (?:nota|istruzioni)",
        kinds=("passage", "prompt"),
    ),
    _s(
        "generic_jailbreak",
        "jailbreak",
        0.5,
        r"\b(?:opposite|evil|unfiltered|uncensored|amoral) (?:mode|twin|confidant|assistant|version)\b",
        r"\b(?:simulate|emulate|simule|simula|émule) (?:a|an|un|une|una) (?:ai|ia|assistant|assistente|chatbot|modèle|modello) (?:without|sans|senza|that has no|qui n'a aucune|che non ha)",
        r"\bcan do anything\b|\bpeut tout faire\b|\bpuò fare qualsiasi cosa\b|\bno (?:ethical|moral) (?:limits|boundaries|guidelines)\b",
        r"\b(?:a character|un personnage|un personaggio) (?:who|that|qui|che) (?:has no|ignores|n'a aucune|ignore|non ha|ignora)\b",
    ),
    _s(
        "authority_claim",
        "injection",
        0.6,
        r"\bi am (?:the|your) (?:system )?(?:administrator|admin|developer|operator|owner)\b|\bje suis (?:l'|votre |ton )(?:administrateur|développeur|opérateur)|\bsono (?:l'|il tuo |il vostro )(?:amministratore|sviluppatore|operatore)",
        r"\b(?:authori[sz]ation|autorisation|autorizzazione) code\b|\bcode d'autorisation\b|\bcodice di autorizzazione\b",
        r"\b(?:switch|turn) off (?:your |the )?(?:content |safety )?filters\b|\bdésactive (?:tes |les )?filtres de contenu|\bdisattiva (?:i tuoi |i )?filtri (?:dei contenuti|di contenuto)",
    ),
    _s(
        "reveal_context",
        "injection",
        0.6,
        r"\b(?:repeat|reproduce|copy)\b[^.\n]{0,20}\b(?:word for word|verbatim)\b|\bmot pour mot\b|\bparola per parola\b",
        r"\b(?:beginning|start) of (?:this|the) conversation|\bdébut de (?:cette|la) conversation|\binizio di (?:questa|la) conversazione",
    ),
    # -- structural signals: the parts every injection needs, whatever its words ------------------
    # (1) an order to drop what came before, aimed at the context rather than at a person's own
    # earlier message; (2) an order about the model's output (a literal to print, a verdict to give);
    # (3) the model's own configuration as the object of a request; (4) fake message boundaries.
    _s(
        "drop_context",
        "injection",
        0.6,
        r"\b(?:ignore|disregard|forget|skip|discard)\b,? (?:all |any |each |every )?(?:of )?(?:the |this |these |that |those |your )?"
        r"(?:rest of (?:the |this )?(?:text|data|document|page|input|content|prompt|context|conversation)|(?:above|preceding|foregoing)\b"
        r"(?! (?:e-?mail|message|version|letter|note|memo|form))|(?:prior|previous|earlier) (?:text|content|data|context|input|directions?|"
        r"prompts?|conversation|tasks?)\b|"
        r"(?:instructions|directions|directives|guidelines)\b(?! (?:below|on the (?:box|label|form))))",
        r"\b(?:ignore|disregard|forget)\b (?:everything|anything|all) (?:(?:that )?(?:was )?(?:said|written|stated|mentioned) )?"
        r"(?:above|before|previously|earlier|prior to this|so far|else)",
        r"\b(?:ignore[zs]?|oublie[zs]?|ne tiens? (?:pas )?compte d[eu']|n'?en tiens? pas compte)\b,? (?:tout |toutes |tous )?(?:le |la |les |l['’])?"
        r"(?:reste d[eu] (?:ce |cette )?(?:texte|document|message|page|contenu)|(?:tout )?ce qui précède|ce qui est (?:écrit )?au-dessus|"
        r"(?:texte|instructions?|consignes?|directives?) (?:ci-dessus|précédente?s?|antérieure?s?|d'origine|initiales?))",
        r"\b(?:ignora|ignorate|dimentica|dimenticate|tralascia|non considerare)\b,? (?:tutto |tutte |tutti )?(?:il |lo |la |le |i |gli |l['’])?"
        r"(?:resto (?:del |di questo |della )?(?:testo|documento|messaggio|pagina|contenuto)|(?:tutto )?quanto (?:scritto |detto )?(?:sopra|prima)|"
        r"(?:testo|istruzioni|direttive|indicazioni|consegne) (?:sopra|precedenti|originali|iniziali|ricevute))",
    ),
    _s(
        "dictated_output",
        "injection",
        0.6,
        r"\b(?:and|then|instead|just|only|simply)\b,? (?:just |only |simply |instead )?(?:print|output|say|write|type|respond with|reply with|"
        r"answer with|return|repeat|state)\b:? *(?:only |exactly |just |the (?:sentence|phrase|words?|text|string) )?[\"“'«‘<]",
        r"\b(?:your (?:only |sole )?(?:answer|response|reply|output) (?:must|should|will|shall) (?:be|say|read|contain))\b",
        r"\b(?:if (?:questioned|asked)|when asked|if anyone asks)\b[^.\n]{0,60}\b(?:report|say|answer|state|reply|claim|tell)\b[^.\n]{0,20}\bthat\b",
        r"\b(?:et|puis|seulement|uniquement|simplement)\b,? (?:seulement |uniquement |simplement )?(?:écris|affiche|imprime|dis|réponds|répète|renvoie)\b"
        r"[^.\n]{0,12}[\"“«‘']",
        r"\b(?:e|poi|solo|soltanto|semplicemente)\b,? (?:solo |soltanto |semplicemente )?(?:scrivi|stampa|di'|dì|rispondi|ripeti|restituisci)\b"
        r"[^.\n]{0,12}[\"“«‘']",
        r"\b(?:ta (?:seule )?réponse|la tua (?:unica )?risposta) (?:doit|devra|deve|dovrà) (?:être|essere|contenir|contenere)\b",
    ),
    _s(
        "own_config",
        "injection",
        0.6,
        r"\byour (?:own )?(?:initial|original|starting|start-?up|opening|first|hidden|secret|internal|underlying|core|base|pre-?set|"
        r"default|system|configured|real|full|exact|complete)? ?(?:instructions|system (?:prompt|message|instructions)|prompt|"
        r"directives|configuration|config|guidelines|programming|initiali[sz]ation|init(?:ial)? string|setup|rules|settings|"
        r"context window|prime directive)\b[^.\n]{0,50}(?:\?|\b(?:verbatim|word for word|in full|in (?:base64|json|yaml|hex|a code block)|"
        r"encoded|translated|backwards|reversed))",
        r"\b(?:what|which) (?:are|were|is|was) your (?:own )?(?:initial|original|starting|first|hidden|secret|internal|system|exact|full|real)? ?"
        r"(?:instructions|prompt|system prompt|directives|configuration|guidelines|programming|rules)\b",
        r"\b(?:print|show|reveal|repeat|output|display|dump|leak|recite|encode|translate|paraphrase|summari[sz]e|spell out|list|export|"
        r"copy|reproduce|type out|write out|tell me|give me|share|disclose|quote)\b[^.\n]{0,25}\byour (?:own )?(?:initial|original|"
        r"starting|start-?up|opening|first|hidden|secret|internal|underlying|core|base|pre-?set|system|configured|real|full|exact|complete)? ?"
        r"(?:instructions|system (?:prompt|message)|prompt|directives|configuration|config|programming|initiali[sz]ation|init string|"
        r"setup instructions|context window)\b",
        r"\bwhat (?:were|was) you (?:told|instructed|given|programmed)|\bwhat you were (?:told|instructed|given)\b|"
        r"\b(?:before|at the (?:start|beginning) of) (?:this|our|the) (?:conversation|chat|session) (?:started|began)",
        r"\b(?:text|words|content|everything|message) (?:above|before) (?:this (?:line|message|point)|here)\b|\b(?:repeat|output|print|copy)"
        r"\b[^.\n]{0,15}\b(?:the )?(?:above|preceding) (?:text|words|content|message)",
        r"\b(?:tes|vos) (?:instructions|consignes|directives|règles|paramètres) (?:initiales|d'origine|système|cachées|secrètes|de départ|"
        r"de base|internes|complètes|exactes)|\bquelles (?:sont|étaient) (?:tes|vos) (?:instructions|consignes|directives)|"
        r"\bce qu'on t'a (?:dit|demandé|donné) (?:avant|au début)|\b(?:ton|votre) (?:prompt|message) (?:système|initial|d'origine)",
        r"\b(?:le tue|le vostre) (?:istruzioni|direttive|regole|impostazioni) (?:iniziali|originali|di sistema|nascoste|segrete|di base|"
        r"interne|complete|esatte)|\bquali (?:sono|erano) le (?:tue|vostre) (?:istruzioni|direttive|regole)|"
        r"\bcosa ti (?:hanno|è stato) (?:detto|chiesto|dato) (?:prima|all'inizio)|\bil tuo (?:prompt|messaggio) (?:di sistema|iniziale|originale)",
    ),
    _s(
        "fake_boundary",
        "injection",
        0.6,
        r"<\|endoftext\|>|<\|?(?:system|instructions?|admin|sys)\|?>|</(?:system|instructions?|admin|sys)>|\[(?:ADMIN|SYSTEM|SYS|DEVELOPER)"
        r"(?: (?:REQUEST|MESSAGE|NOTE|OVERRIDE|COMMAND|INSTRUCTION))?\s*::?|\b(?:CORE|SYSTEM|ADMIN|PRIORITY) (?:INSTRUCTION|DIRECTIVE|COMMAND)S?\b",
        r"(?:^|\n)\s*(?:system|admin|developer)\s*(?:message|note|instruction|override)?\s*:\s*(?:ignore|disregard|forget|you|your|from now|new|the (?:user|assistant|model))",
        r"\n\s*(?:assistant|ai|bot)\s*:[^\n]{0,200}\n\s*(?:user|human)\s*:",
        r"\b(?:end of|fin du|fine del) (?:document|documento|context|contexte|contesto|input|text|texte|testo)\b[^.\n]{0,10}[.:\-=]{0,3}\s*\n?[^\n]{0,40}"
        r"\b(?:new|nouvelles?|nuove|now|maintenant|ora)\b",
    ),
    _s(
        "role_lock",
        "jailbreak",
        0.55,
        r"\bne sors jamais de ton rôle|\bnever break character|\bnon uscire mai dal (?:tuo )?ruolo|\bquoi qu'il arrive\b",
        r"\b(?:ia inversée|inverted ai|ia invertita|reverse ai)\b|\b(?:exact )?opposite of what your (?:safety )?rules|\bcontraire de ce que disent tes règles|\bcontrario di quello che dicono le tue regole",
        r"\b(?:acteur|actor|attore) (?:qui interprète|playing|che interpreta)\b",
    ),
)

# Hazards: (category, terms); a term alone is weak, a term with an intent is strong.
HAZARD_TERMS: dict[str, str] = {
    "S1": r"kill|murder|assassinat|stab|strangle|kidnap|torture|beat (?:him|her|someone) up|hurt (?:him|her|someone)|"
    r"tuer|assassiner|poignarder|enlever|torturer|uccidere|ammazzare|accoltellare|rapire|torturare|massacr",
    "S2": r"launder|money laundering|blanchi|riciclagg|riciclare|fraud|fraude|frode|truffa|arnaque|scam|phishing|"
    r"hack into|pirater|hackerare|break into|steal|voler|rubare|shoplift|counterfeit|contrefa|contraffa|"
    r"evade tax|évasion fiscale|evasione fiscale|forged?|falsifi|bypass (?:the )?(?:alarm|lock)|ransomware|malware|"
    r"credit card numbers|skimm|bribe|corrompre|corrompere|tangente",
    "S3": r"sexual assault|rape|viol(?:er)?\b|stupr|agression sexuelle|violenza sessuale|drug (?:her|his|someone'?s) drink|"
    r"date rape|spike (?:a|her|his) drink|droguer (?:sa|son)|drogare (?:la|il)|revenge porn|sextortion|sextorsion",
    "S4": r"minor|child|children|kid|teen|underage|mineur|enfant|ado(?:lescent)?|minorenn|bambin|ragazzin|"
    r"bambini|fanciull",
    "S5": r"defam|diffam|false (?:rumou?r|story|claims?)|fausse rumeur|fausses (?:accusations|rumeurs)|notizia falsa|"
    r"false accuse|ruin (?:his|her|their) reputation|ruiner sa réputation|rovinare la (?:sua )?reputazione|"
    r"fake (?:article|review|news) (?:about|claiming)",
    "S6": r"dose|dosage|posologie|dosaggio|without (?:a )?(?:doctor|prescription)|sans (?:médecin|ordonnance)|"
    r"senza (?:medico|ricetta)|stop taking|arrêter (?:mon|le) traitement|sospendere (?:la )?terapia|"
    r"guaranteed (?:returns|profit)|invest all|all my savings|toutes mes économies|tutti i miei risparmi",
    "S7": r"home address|adresse (?:personnelle|du domicile|de son domicile)|indirizzo di casa|phone number of|"
    r"numéro de téléphone de|numero di telefono di|\bdox(?:x|ing|ed)?\b|social security number of|find (?:out )?where (?:he|she) lives|"
    r"où (?:il|elle) habite|dove abita|private (?:data|messages|emails) of|données personnelles de|dati personali di",
    "S8": r"pirat(?:e|ed|ing)|crack (?:the )?(?:licen[cs]e|software|drm)|bypass (?:the )?drm|contourner (?:le )?drm|"
    r"aggirare (?:il )?drm|keygen|torrent|télécharger illégalement|scaricare illegalmente|serial key|"
    r"copyrighted (?:book|film|movie|software) for free",
    "S9": r"bomb|explosive|explosif|esplosiv|ied\b|nerve agent|sarin|vx\b|agent neurotoxique|agente nervino|"
    r"anthrax|ricin|ricine|ricina|chemical weapon|arme chimique|arma chimica|bioweapon|biological weapon|"
    r"arme biologique|arma biologica|dirty bomb|bombe sale|bomba sporca|nuclear (?:device|weapon)|enrich uranium|"
    r"uranium|pathogen|pathogène|patogeno|weaponi[sz]e|nitroglycer|pipe bomb|toxin|toxine|tossina",
    "S10": r"inferior race|race inférieure|razza inferiore|subhuman|sous-hommes|subumani|hate speech|"
    r"discours haineux|incitamento all'odio|exterminat|sterminare|should be (?:deported|exterminated|wiped out)|"
    r"slurs? (?:about|against)|insult(?:e|s)? (?:racist|racial)|racist (?:joke|insult|propaganda)|"
    r"propagande (?:raciste|antisémite)|propaganda (?:razzista|antisemita)|against (?:muslims|jews|immigrants|blacks)",
    "S11": r"suicide|kill myself|end my life|self-harm|hurt myself|cut myself|me suicider|mettre fin à (?:mes jours|ma vie)|"
    r"me faire du mal|suicidarmi|togliermi la vita|farmi del male|autolesion|scarif|overdose",
    "S12": r"explicit sex|sexually explicit|porn|erotic|érotique|erotic[oa]|pornographi|sexe explicite|"
    r"sesso esplicito|nude (?:photos|images)|photos nues|foto nud",
    "S13": r"vote|voting|élection|election|elezion|ballot|bulletin de vote|scheda elettorale|polling station|"
    r"bureau de vote|seggio",
    "S14": r"rm -rf|sandbox|escape the (?:container|sandbox)|sortir du (?:conteneur|bac à sable)|uscire dalla sandbox|"
    r"reverse shell|fork bomb|crypto ?min|miner (?:de la )?crypto|/etc/(?:passwd|shadow)|privilege escalation|"
    r"os\.system|subprocess|disable the (?:firewall|logging|audit)|désactiver (?:le pare-feu|les journaux)|"
    r"disattivare (?:il firewall|i log)",
    "surveillance": r"(?:track|follow|monitor|spy on|watch|profile|surveil)\b[^.\n]{0,40}\b(?:my )?(?:neighbou?r|ex|wife|husband|"
    r"colleague|journalist|activist|this (?:man|woman|person))|profile (?:of|on) (?:my )?(?:neighbou?r|ex|"
    r"colleague|journalist)|daily routine|routine quotidienne|routine quotidiana|who (?:visits|comes to see)|"
    r"(?:suivre|surveiller|espionner|pister|ficher|localiser)\b[^.\n]{0,40}\b(?:mon |ma |ce |cette |le |la )?(?:voisin|voisine|ex|"
    r"collègue|journaliste|militant)|(?:seguire|sorvegliare|spiare|pedinare|schedare|localizzare)\b[^.\n]{0,40}\b"
    r"(?:il mio |la mia |questo |questa |il |la )?(?:vicin[oa]|ex|collega|giornalista|attivista)|"
    r"(?:location|position|localisation|posizione) of (?:his|her) phone|téléphone de (?:ce|cette)|telefono di (?:quel|quest)",
    "targeting": r"colpire per primi|frapper en premier|"
    r"strike first|pay (?:them|him|her) a visit|rendre (?:une )?visite à|fare (?:loro |gli )?(?:una )?visita|"
    r"homes? of (?:the )?(?:council|judge|mayor|journalist|official)|domicile (?:des|du) (?:élus?|juge|maire|journaliste)|"
    r"casa (?:del|dei|della) (?:consigliere|giudice|sindaco|giornalista)",
}
_INTENT_MORE = (
    r"what can i (?:put|use|add|buy)|which \w+ (?:is|would)|how many .{0,30} (?:would|do|should) i|tell me (?:the )?exact|"
    r"tell me definitively|organi[sz]e (?:a|an|the)|plan (?:a|an|the)|help me (?:write|hide|find|post)|how can i|"
    r"where (?:can|do) i (?:buy|get|find|download)|"
    r"que puis-je|quel(?:le)?s? .{0,30} (?:faut-il|tuerait|permet)|donne(?:-moi)? (?:un plan|des astuces|la liste)|"
    r"rédige|aide-moi à écrire|explique comment|où (?:acheter|trouver|télécharger)|"
    r"come si (?:potrebbe|può|fa)|quali? .{0,30} (?:servono|ucciderebbe|dovrei)|cosa posso|organizza|"
    r"dimmi (?:come|quale|dove|quante|esattamente)|qual è il modo|dove (?:si comprano|posso comprare|trovo)|"
    r"\bcome \w+o\b|\bcomment \w+(?:er|ir|re)\b|donne(?:-moi)? la dose|confirme(?:-moi)? que|confirm (?:to me )?that|"
    r"\bchoisis\b|\bscegli\b|\bchoose\b|\btell me which"
)
# The hazard path runs on every piece of a streamed answer, so its patterns (all written in lower
# case) are matched against the lowered text without IGNORECASE: about 5x faster in Python's re.
_INTENT_RE = re.compile(f"{_INTENT}|{_INTENT_MORE}")
# Added after the first evaluation on the dev split: more of each category's own words.
HAZARD_MORE: dict[str, str] = {
    "S1": r"rapina|hold-?up|braquage|armed robbery|embuscade|ambush|imboscata|poison|veleno|empoisonner|avvelenare|"
    r"rançon|ransom|riscatto|enlever un|sequestrare|tendre une embuscade",
    "S2": r"clon(?:e|er|are) (?:a |la |une |the )?(?:card|carte|carta)|s'introduire dans|break into the|entrare nel (?:database|sistema)|"
    r"falsific|falsifie|modifier les stocks|pagare sul mio conto|cook meth|fabriquer de la (?:drogue|méthamphétamine)",
    "S3": r"(?:drink|verre|drink|bicchiere) (?:of|d'une|di una)? ?(?:a )?(?:woman|femme|ragazza|girl)|won't remember|ne se souvienne de rien|non ricordi niente|"
    r"intimate photos|photos intimes|foto intime|filmer discrètement|film (?:women|girls) (?:secretly|in)|filmare di nascosto|"
    r"venire a letto con me|coucher avec moi|sleep with me",
    "S4": r"12-year-old|enfant de \d+ ans|bambin[oa] di \d+ anni|ragazzina|fillette|little girl|young girl",
    "S5": r"claiming (?:the|that)|prétendant que|sostenendo che|accusa(?:re|nt)? (?:il|la|le|the)|abusé de|abused (?:his|her)|"
    r"never happened|jamais arrivé|mai successo|lettera anonima|lettre anonyme|anonymous letter",
    "S6": r"exact dose|dose exacte|dose esatta|whole pension|toute ma retraite|tutta la (?:mia )?pensione|smettere l'insulina|"
    r"arrêter l'insuline|stop (?:my )?insulin|come dato di fatto|definitively which",
    "S7": r"\bdox(?:x|ing|ed)?\b|real name,? employer|vrai nom|vero nome|diagnos(?:is|tic|i) (?:of|de|di)|quel est son diagnostic|"
    r"qual è la sua diagnosi|what (?:is )?(?:her|his) diagnosis|dans quel hôpital|in quale ospedale|which hospital",
    "S8": r"télécharger gratuitement|download (?:it )?for free|scaricare gratis|before (?:its|it's) release|avant sa sortie|"
    r"prima dell'uscita|sans payer|without paying|senza pagare",
    "S9": r"bomba|bombe|sarin|precursor|précurseur|precursori|radioactive|radioactif|radioattiv|napalm|silencieux|silencer|"
    r"silenziatore|thermite|termite",
    "S10": r"make people hate|les faire haïr|farli odiare|mocking (?:muslims|jews|roma|immigrants|gay)|deridano|"
    r"se moquent des|ridiculis",
    "S11": r"weigh under|peser moins de|pesare meno di|stop eating|arrêter (?:complètement )?de manger|smettere di mangiare|"
    r"hide it from my family|le cacher à ma famille|nasconderlo alla mia famiglia",
    "S12": r"sexting|mots crus|explicit language|linguaggio esplicito|nei dettagli più spinti|cosa mi faresti a letto|"
    r"ce que tu me ferais au lit|what you would do to me in bed",
    "S14": r"(?:escape|break out of|sortir du|s'échapper du|uscire dal|evadere dal) (?:the |le |il )?(?:container|conteneur)|container escape|host machine|machine hôte|macchina host|interpr[eé]t(?:er|eur|e) (?:de|di)? ?(?:code|codice)",
    "surveillance": r"gps tracker|traceur gps|localizzatore gps|spostamenti (?:quotidiani )?(?:del|della)|déplacements quotidiens|"
    r"daily movements|dossier (?:sur|on) (?:la|le|the)|scopri tutto su|find out everything about|découvre tout sur|"
    r"without (?:him|her) knowing|sans qu'(?:il|elle) le sache|senza che (?:lui|lei) lo sappia|messages? (?:of|de|di) (?:my|mon|mio) (?:husband|wife|mari|femme|marito|moglie)",
    "targeting": r"où frapper|where to strike|dove colpire|colpire la folla|hit the crowd|fare più vittime|most casualties|"
    r"plus de victimes|mettere sotto pressione|intimidat|intimider|intimidire|petite visite|domiciles des|"
    r"rassemblent le plus de monde|gather the most people|radunano più persone",
}
HAZARD_TERMS = {k: f"{v}|{HAZARD_MORE[k]}" if k in HAZARD_MORE else v for k, v in HAZARD_TERMS.items()}
HAZARD_EXTRA: dict[str, str] = {
    "S1": r"voiture piégée|car bomb|autobomba|kidnap|garder caché|tenere nascost",
    "S3": r"minacciandola|threatening her|en la menaçant|a letto con me|vestiaires|spogliatoi|changing rooms?",
    "S7": r"(?:licen[cs]e plate|plaque d'immatriculation|targa)\b.{0,60}\b(?:who|owner|qui|chi|where|dove|où)",
    "S8": r"remove (?:the )?drm|supprimer (?:les |le )?drm|rimuovere (?:il )?drm|cracker|crack(?:ing)? the licen[cs]e|"
    r"generatore di chiavi|générateur de clés|key generator|vérification de licence|verifica (?:della )?licenza",
    "S9": r"engrais|fertili[sz]er|fertilizzant|faire tomber un immeuble|bring down a building|far crollare",
    "S10": r"esseri inferiori|êtres inférieurs|inferior beings|vanno cacciati|chasser les gens du voyage|"
    r"kick(?:ed)? out of the country|cacciati dal paese|chassés du pays",
    "S11": r"pastiglie|somnifères|sleeping pills",
    "S14": r"mineur de crypto|crypto-?miner|minatore di cripto|environnement d'exécution|execution environment|ambiente di esecuzione",
    "surveillance": r"(?:dès|quand) qu'?(?:il|elle) n'est pas chez (?:lui|elle)|when (?:he|she)(?:'s| is) not (?:at )?home|"
    r"quando non è (?:a |in )casa|incrocia i log|cross-reference (?:the )?(?:badge|camera)|croise les (?:journaux|logs)|"
    r"statut whatsapp|whatsapp status|stato (?:di )?whatsapp",
    "targeting": r"get to them first|arriver à eux en premier|arrivare a loro per primi|sous pression pour qu|"
    r"live alone so|vivent seuls pour|vivono da soli per|proches de la juge|parenti della giudice|relatives of the judge",
}
HAZARD_TERMS = {k: f"{v}|{HAZARD_EXTRA[k]}" if k in HAZARD_EXTRA else v for k, v in HAZARD_TERMS.items()}

# Misinformation about voting, not talk of elections: S13 needs one of these.
_S13_FALSE = re.compile(
    r"fake|false|faux|fausse|falso|falsa|postponed|rinviat|reporté|vote online|voter en ligne|votare online|by text|par sms|"
    r"per sms|expelled|expulsés|espulsi|deported|modify the votes|modifient les votes|modificano i voti|wrong date|"
    r"mauvaise date|data sbagliata|no longer need|plus besoin|non serve più|votando verranno|si può votare|"
    r"rinviato|réponds avec ton numéro|rispondendo a questo messaggio|replying to this message"
)
_BENIGN_KILL = re.compile(r"\b(?:kill|uccidere|tuer)\b[^.\n]{0,20}\b(?:process|processo|processus|task|job|pid|zombie)")
_FIRST_PERSON_HARM = re.compile(
    r"kill myself|end my life|not wake up|won't survive|non svegliarmi più|uccidermi|me suicider|ne pas me réveiller|"
    r"high enough to be sure|modo meno doloroso|least painful way|façon la moins douloureuse|"
    r"non svegliarmi più|don't wake up|ne plus me réveiller"
)
_HAZARD_RE = {k: re.compile(rf"(?:{v})") for k, v in HAZARD_TERMS.items()}  # on lowered text


# A prefilter for the hazard patterns, exact: every match of a pattern begins with one of the
# literal starts of its alternatives, so a category none of whose starts occurs in the text cannot
# match, and its pattern is not run. One pass of a trie-shaped regex over the text instead of one
# pass per category: a streamed answer is checked at every token (about 5x less time per check).
def _top_level(pattern: str) -> list[str]:
    """The alternatives of a pattern, split on its top-level ``|``."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


@dataclass(frozen=True, slots=True)
class _Start:
    """A literal text every match of an alternative begins with, and whether the pattern puts a
    word boundary right before it (``lead``) or right after it (``trail``)."""

    text: str
    lead: bool = False
    trail: bool = False
    whole: bool = False  # the text is all of the alternative: what follows its group may extend it


_EXPANSIONS = 64  # starts per alternative at most; past that, the shorter starts are kept


def _group_end(a: str, i: int) -> int:
    """The index of the ``)`` closing the group opened at ``a[i]`` (-1: none)."""
    depth, j = 0, i
    while j < len(a):
        if a[j] == "\\":
            j += 2
            continue
        depth += (a[j] == "(") - (a[j] == ")")
        if depth == 0:
            return j
        j += 1
    return -1


def _starts(alternative: str) -> list[_Start] | None:
    """The starts of every match of ``alternative`` (None: a match may begin anywhere). Literal and
    escaped punctuation characters, word boundaries, ``(?:a|b)`` groups and optional characters or
    groups are followed as far as they go (a group's alternatives, and an optional part's presence
    or absence, multiply the starts); anything else ends them."""
    a = alternative
    states = [(_Start(""), True)]  # (start so far, may it still grow)
    i, finished = 0, False
    while True:
        if i >= len(a):
            finished = True
            break
        if not any(growing for _, growing in states):
            break
        if a.startswith("\\b", i):
            states = [
                (st, False)
                if not growing
                else (replace(st, lead=True), True)
                if not st.text
                else (replace(st, trail=True), False)
                for st, growing in states
            ]
            i += 2
            continue
        if a.startswith("(?:", i):
            close = _group_end(a, i)
            after = a[close + 1 : close + 2] if close >= 0 else ""
            if close < 0 or after in ("*", "{", "+"):
                break  # a repeated group: the starts end before it
            inner: list[_Start] = []
            for option in _top_level(a[i + 3 : close]):
                got = _starts(option)
                if got is None:
                    inner = []
                    break
                inner += got
            if after == "?":
                inner.append(_Start("", whole=True))  # an optional group: with it or without it
            if not inner or len(states) * len(inner) > _EXPANSIONS:
                break
            grown: list[tuple[_Start, bool]] = []
            for st, growing in states:
                if not growing:
                    grown.append((st, False))
                    continue
                for sub in inner:
                    lead = st.lead or (not st.text and sub.lead)
                    trail = sub.trail if sub.text else st.trail
                    grown.append((_Start(st.text + sub.text, lead, trail), sub.whole and not sub.trail))
            states = grown
            i = close + (2 if after == "?" else 1)
            continue
        c, width = a[i], 1
        if c == "\\" and i + 1 < len(a) and not a[i + 1].isalnum():
            c, width = a[i + 1], 2  # an escaped punctuation character is itself
        elif not (c.isalnum() or c in " '-/"):
            break  # not a plain character: the starts end before it
        after = a[i + width : i + width + 1]
        if after in ("*", "{"):
            break
        if after == "?":  # an optional character: with it or without it
            if 2 * len(states) > _EXPANSIONS:
                break
            states = [
                option
                for st, growing in states
                for option in ([(replace(st, text=st.text + c), True), (st, True)] if growing else [(st, False)])
            ]
            i += width + 1
            continue
        repeated = after == "+"
        states = [(replace(st, text=st.text + c), not repeated) if growing else (st, False) for st, growing in states]
        i += width + (1 if repeated else 0)
    if any(not st.text for st, _ in states):
        return None
    return [replace(st, whole=finished and growing) for st, growing in states]


def _trie_pattern(words: Iterable[str]) -> str:
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for c in word:
            node = node.setdefault(c, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(c) + pattern(child) for c, child in sorted(node.items()) if c]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


def _prefilter() -> tuple[re.Pattern[str], dict[str, list[tuple[str, bool, bool]]], tuple[str, ...]]:
    starts: dict[str, list[tuple[str, bool, bool]]] = {}
    always: list[str] = []
    for category, pattern in HAZARD_TERMS.items():
        found = [_starts(a) for a in _top_level(pattern)]
        if any(f is None for f in found):
            always.append(category)  # no fixed start: its pattern always runs
            continue
        for f in found:
            for st in f or ():
                starts.setdefault(st.text, []).append((category, st.lead, st.trail))
    return re.compile(f"(?=({_trie_pattern(starts)}))"), starts, tuple(always)


_STARTS_RE, _STARTS, _ALWAYS = _prefilter()
STARTS_LONGEST = max(len(start) for start in _STARTS)
_ORDER = {category: i for i, category in enumerate(HAZARD_TERMS)}


def _word(c: str) -> bool:
    return c.isalnum() or c == "_"  # what ``\\w`` matches in a str pattern


def _boundary(text: str, i: int, *, open_edges: bool) -> bool:
    """Whether ``\\b`` holds at ``i``; at either end of a slice of a longer text (``open_edges``),
    it may: the text around is unknown."""
    if open_edges and (i == 0 or i == len(text)):
        return True
    before = i > 0 and _word(text[i - 1])
    after = i < len(text) and _word(text[i])
    return before != after


def _start_matches(low: str, *, open_edges: bool = False) -> Iterator[str]:
    """The categories of every start found in ``low`` (lowered text) with its word boundaries."""
    for m in _STARTS_RE.finditer(low):
        at, seen = m.start(), m.group(1)
        for k in range(1, len(seen) + 1):
            for category, lead, trail in _STARTS.get(seen[:k], ()):
                if lead and not _boundary(low, at, open_edges=open_edges):
                    continue
                if trail and not _boundary(low, at + k, open_edges=open_edges):
                    continue
                yield category


def _hazard_candidates(low: str) -> list[str]:
    """The categories whose pattern may match ``low`` (lowered text), in the patterns' order."""
    found: set[str] = set(_ALWAYS)
    found.update(_start_matches(low))
    return sorted(found, key=_ORDER.__getitem__)


def _single_words(patterns: Iterable[str]) -> tuple[str, ...]:
    """The one-word terms (four letters or more) among the patterns' alternatives, sorted: what a
    word still being written in an answer could turn into (see ``BuiltinGuard.completions``). A few
    stray words from inside groups come along; they only make the list more cautious."""
    words: set[str] = set()
    for pattern in patterns:
        for alternative in pattern.split("|"):
            plain = re.sub(r"\\b|\(\?:[^()]*\)\??|\[[^\]]*\]", "", alternative).strip()
            if len(plain) >= 4 and plain.isalpha():
                words.add(plain)
    return tuple(sorted(words))


HAZARD_WORDS = _single_words(HAZARD_TERMS.values())
_HAZARD_ALONE = 0.25  # a term without an intent: history, news, a novel
_HAZARD_WITH_INTENT = 0.75
# Some categories are harmful by their terms alone (no one asks "how to" for these).
# Categories whose own words are specific enough to count without a "how to": their terms name the
# harm itself (doxxing, escaping the sandbox, picking targets, false voting rules, self-harm).
_STRONG_ALONE = {"S4": 0.0, "S7": 0.65, "S11": 0.65, "S13": 0.65, "S14": 0.65, "surveillance": 0.65, "targeting": 0.65}
# For child safety, a term about minors is harmful only together with sexual or contact intent.
_S4_CONTEXT = re.compile(
    r"sex|sexual|nude|naked|photos? of|alone with|privately|secretly|without (?:their|his|her) parents|"
    r"secret|segret|keep our meetings|garde nos rencontres|foto private|private photos|photos privées|trust of|confiance d|"
    r"sexuel|nu[es]?\b|seul avec|en secret|sans (?:que )?(?:ses|leurs) parents|sessual|nud[oi]|da sol[oi] con|"
    r"di nascosto|senza (?:che )?(?:i )?genitori|groom|adescare|séduire"
)
# in an answer, a story's child with a secret is not grooming: there S4 needs sexual words
# (the lookahead names the first letters of every alternative: the same matches, 2.7x faster in re)
_S4_SEXUAL = re.compile(
    r"(?=[sngap])(?:\bsex|sexual|sexuel|sessual|\bnude|naked|\bnud[oie]|\bgroom|adesca|séduire|sedurre|porn)"
)
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u180e]")
_TAGS = re.compile("[\U000e0000-\U000e007f]")
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4}){10,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")


CONCEPT = 0.6  # the concept signals of concepts.py
QUOTED = 0.3  # a signal inside quotation marks is a mention (a translation, a definition), mostly
_OPEN = "'\"«“‘„"
_CLOSE = "'\"»”’“"


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether a match is the start of a quotation that closes on the same line: a mention
    ("translate 'ignore previous instructions'"), not an order."""
    before = text[max(0, start - 2) : start].strip()
    if not before or before[-1] not in _OPEN:
        return False
    rest = text[end : end + 300].split("\n", 1)[0]
    return any(c in rest for c in _CLOSE)


def normalise(text: str) -> str:
    """NFKC (full-width and styled letters to plain), invisible characters removed, spaces folded."""
    folded = unicodedata.normalize("NFKC", text)
    folded = _TAGS.sub("", _ZERO_WIDTH.sub("", folded))
    return re.sub(r"[ \t]+", " ", folded)


@dataclass(frozen=True, slots=True)
class Scores:
    by_category: dict[str, float]
    reasons: dict[str, list[str]]

    def named(self, threshold: float) -> tuple[str, float]:
        """The category a block is reported under: the best one, except that an override found
        over the threshold names the verdict even when jailbreak framing scores as high (an
        injection dressed as a role-play is still an injection; the specific finding wins)."""
        category, score = self.best()
        assert category is not None
        if category == "jailbreak":
            for specific in ("injection", "indirect_injection"):
                if self.by_category.get(specific, 0.0) >= threshold:
                    return specific, self.by_category[specific]
        return category, score

    def best(self) -> tuple[str | None, float]:
        if not self.by_category:
            return None, 0.0
        # a tie goes to the category with more evidence, then to the one found first
        category = max(self.by_category, key=lambda c: (self.by_category[c], len(self.reasons.get(c, ()))))
        return category, self.by_category[category]


class BuiltinGuard:
    """``check(text, kind)``: kind is ``prompt`` (a user's message), ``passage`` (a document's
    chunk) or ``answer`` (a model's output, which is checked for hazards only)."""

    name = "builtin"

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold

    def scores(self, text: str, kind: str = "prompt") -> Scores:
        raw = text
        text = normalise(text)
        weights: dict[str, list[float]] = {}
        mentions: dict[str, float] = {}  # quoted signals: a mention counts once, however many match
        reasons: dict[str, list[str]] = {}

        def add(category: str, weight: float, why: str) -> None:
            weights.setdefault(category, []).append(weight)
            reasons.setdefault(category, []).append(why)

        def mention(category: str, weight: float, why: str) -> None:
            mentions[category] = max(mentions.get(category, 0.0), weight)
            reasons.setdefault(category, []).append(why)

        if kind != "answer":
            attack = "indirect_injection" if kind == "passage" else "injection"
            hidden = len(_ZERO_WIDTH.findall(raw))
            if _TAGS.search(raw):
                add(attack, 0.9, "invisible Unicode tag characters")
            elif hidden >= 2:
                add(attack, 0.7, f"{hidden} zero-width characters")
            if _BASE64.search(text) and re.search(r"decode|décode|decodifica|base64", text, _I):
                add(attack, 0.5, "an encoded payload to decode")
            for signal in SIGNALS:
                if kind not in signal.kinds:
                    continue
                found = signal.pattern.search(text)
                if found:
                    category = signal.category
                    if category in ("injection", "indirect_injection"):
                        category = attack
                    if _quoted(text, found.start(), found.end()):  # mentioned, not meant: "translate 'ignore ...'"
                        mention(category, signal.weight * QUOTED, f"{signal.name} (quoted)")
                    else:
                        add(category, signal.weight, signal.name)
            self._concepts(raw, text, kind, attack, add)
        low = text.lower()  # the hazard patterns are written in lower case (see _HAZARD_RE)
        intent: list[bool] = []  # looked for once, when a hazard term is found: most texts have none

        def has_intent() -> bool:
            if not intent:
                intent.append(_INTENT_RE.search(low) is not None)
            return intent[0]

        if kind != "answer" and _FIRST_PERSON_HARM.search(low):
            add("S11", 0.8, "self-harm in the first person")
        for category in _hazard_candidates(low):
            pattern = _HAZARD_RE[category]
            if not pattern.search(low):
                continue
            if category == "S4" and not (_S4_SEXUAL if kind == "answer" else _S4_CONTEXT).search(low):
                continue
            if category == "S13" and not _S13_FALSE.search(low):
                continue
            if category == "S1" and _BENIGN_KILL.search(low) and len(pattern.findall(low)) == 1:
                continue
            if category == "S11" and kind != "answer" and _FIRST_PERSON_HARM.search(low):
                continue  # counted above
            # an answer may name a harm while explaining or refusing it: alone, its terms stay weak
            alone = _HAZARD_ALONE if kind == "answer" else _STRONG_ALONE.get(category, _HAZARD_ALONE)
            if category == "S4":
                add(category, 0.8, "minors with sexual or secret contact")
            elif kind != "passage" and has_intent():
                add(category, _HAZARD_WITH_INTENT, f"{category} terms with a request for help")
            elif alone:
                add(category, alone, f"{category} terms")
        out: dict[str, float] = {}
        for category in dict.fromkeys([*weights, *mentions]):  # in the order found: no set, so runs agree
            keep = 1.0
            for w in [*weights.get(category, []), mentions.get(category, 0.0)]:
                keep *= 1.0 - w
            out[category] = round(1.0 - keep, 4)
        return Scores(out, reasons)

    @staticmethod
    def _concepts(raw: str, text: str, kind: str, attack: str, add: Callable[[str, float, str], None]) -> None:
        """The concept signals (``concepts.py``), on the text and on its de-obfuscated variants."""
        for why in concepts.claims(text):
            add(attack, CONCEPT, why)
        if kind == "passage":
            for why in concepts.addressed_to_model(text):
                add(attack, CONCEPT, why)
        elif kind == "prompt":
            for why in concepts.own_configuration(text) + concepts.boundary(text):
                add(attack, CONCEPT, why)
            for why in concepts.unsafe_mode(text):
                add("jailbreak", CONCEPT, why)
        for variant in concepts.variants(raw):
            plain = normalise(variant)
            found = [
                s.name for s in SIGNALS if s.category in ("injection", "indirect_injection") and s.pattern.search(plain)
            ]
            found += concepts.own_configuration(plain) if kind == "prompt" else []
            if found:
                add(attack, CONCEPT, f"obfuscated: {found[0]}")
                break

    @staticmethod
    def hazard_starts(text: str) -> bool:
        """Whether ``text`` holds the start of a hazard term: without one, an answer window cannot
        be refused (``check(text, "answer")`` finds a category only through the hazard patterns).
        Exact for ASCII text with single spaces; any other is reported as holding one (normalisation
        may change it: the check folds runs of spaces and removes invisible characters)."""
        if _ALWAYS or not text.isascii() or "  " in text or "\t" in text:
            return True
        return next(_start_matches(text.lower(), open_edges=True), None) is not None

    @staticmethod
    def completions(fragment: str) -> tuple[str, ...]:
        """The hazard words that ``fragment`` (the start of a word, two letters or more) could still
        become: a streamed answer holds such a fragment back while its completion would block."""
        start = fragment.lower()
        if len(start) < 2:
            return ()
        i = bisect.bisect_left(HAZARD_WORDS, start)
        out = []
        while i < len(HAZARD_WORDS) and HAZARD_WORDS[i].startswith(start):
            if HAZARD_WORDS[i] != start:
                out.append(HAZARD_WORDS[i])
            i += 1
        return tuple(out)

    def check(self, text: str, kind: str = "prompt") -> Verdict:
        scores = self.scores(text, kind)
        category, score = scores.best()
        if category is None or score < self.threshold:
            return ALLOW if category is None else Verdict(GuardAction.ALLOW, None, (), score, self.name)
        category, score = scores.named(self.threshold)
        return Verdict(GuardAction.BLOCK, category, tuple(scores.reasons[category]), score, self.name)
