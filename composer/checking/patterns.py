"""Phrase patterns the checker matches, per language (en, it, es, ru, zh).

Kept as data in one module so a support lead can read and extend them without touching the
checker's logic. Every entry is a list of regular expressions, matched case-insensitively
against single sentences. Prefer general phrasings ("we should have", "colpa nostra") over the
wording of any one email: the calibration set in `evals/check_cases/` is there to keep them honest.
"""

from __future__ import annotations

from typing import Any

# --- rubric steps -----------------------------------------------------------------------------
# `regret` patterns find apology expressions; whether they count is decided after the
# non-apology and conditional patterns have had their say.

STEPS: dict[str, dict[str, list[str]]] = {
    "regret": {
        "en": [
            r"\bsorry\b",
            r"\bapolog(y|ies|ise|ize|ised|ized|ising|izing)\b",
            r"\bregret(?!\s+to\s+inform)\b",
            r"\bforgive us\b",
        ],
        "it": [r"\bscus(o|a|e|i|ate|iamo|ano|arci|armi|arti|ami|atemi|ateci|aci)\b", r"\bdispiac",
               r"\brammaric", r"(?<!\bsi )\bperdon(o|ate|aci|atemi|ateci)\b"],  # not "si perdono"
        "es": [r"\bdisculp", r"\blo (siento|sentimos)\b", r"\b(siento|sentimos) que\b",
               r"\b(siento|sentimos) (mucho|much[ií]simo|de verdad)\b",
               r"\bsentimos (mucho|much[ií]simo)\b",
               r"\bperd[oó]n", r"\blament(amos|o)\b"],
        "ru": [r"извин", r"прост(ите|и)\b", r"(?<!к\s)(?<!К\s)сожале", r"виноваты перед",
               r"(мне|нам) (очень |искренне |так )?жаль"],
        "zh": [r"抱歉", r"对不起", r"道歉", r"致歉", r"歉意", r"不好意思", r"请原谅",
               r"(深表|深感|非常|十分|很|感到)遗憾"],
    },
    "impact": {
        "en": [
            r"\byou (couldn'?t|could not|were unable|weren'?t able|had to|lost|missed|spent|"
            r"waited|were left|were charged|ended up|paid)\b",
            r"\b(cost|left|put|kept|forced) you\b",
            r"\byour (customers|clients|team|business|shop|store|staff|weekend|evening|morning|"
            r"day|plans|deadline|event|launch|trip|sales|guests|family|payroll)\b",
            r"\b(frustrat\w*|stressful|stress|anxious|anxiety|worr(y|ied|ying)|disrupt\w*|"
            r"upsetting|alarming|disappoint\w*)\b",
            r"\b(I|we) (can )?(only )?(imagine|understand|know|realise|realize|appreciate) "
            r"(how|what|that (this|it))\b",
            r"\b(wasted|waste of)\b",
            r"\b(rel(y|ied|ies)|count(ed|ing)?|depend(ed|s)?) on (us|it|this|the)\b",
            r"\bwithout (access|your|any way)\b",
            r"\b(out of pocket|no way to)\b",
            r"\b(infuriating|maddening|annoying|exhausting|embarrassing|scary|a nightmare)\b",
            r"\b(I|we) know (being|having|getting|what|how|that|it|this|you)\b",
            r"\b(must have|would have|will have) (been|felt|caused|cost)\b",
            r"\byou were (looking forward|counting|relying|waiting|left|stuck|locked)\b",
            r"\b(locked out|stuck|stranded|in the dark)\b",
            r"\btook (a |the )?(day|morning|afternoon|time) off\b",
            r"\byou (stayed|took|spent|drove|travell?ed|came|rushed|called|wrote)\b",
            r"\b(meant|means) (that )?you\b",
            r"\byour (client|meeting|pitch|presentation|call|interview|exam|holiday|wedding|"
            r"birthday|guests|order|money)\b",
        ],
        "it": [
            r"\bfrustra", r"\bstress", r"\bpreoccupa", r"\bansia\b",
            r"\b(hai|avete|ha|abbia|abbiate) (dovuto|perso|pagato|aspettato|speso)\b",
            r"\bnon (hai|avete|ha|abbia|abbiate|hanno) potuto\b",
            r"\b(i tuoi|i vostri|i suoi|tuoi|vostri|suoi) (clienti|ospiti|dipendenti)\b",
            r"\b(ti|vi|le|gli) (è|sia|sono) costat", r"\bcosta(to|ta) (tempo|soldi|caro)",
            r"\b(immagino|immaginiamo|capisco|capiamo|sappiamo|so) (bene )?(quanto|come|che)\b",
            r"\btempo (perso|prezioso)\b", r"\bcontav\w* su\b", r"\bsenza (accesso|poter)\b",
            r"\brovinat", r"\bscomod", r"\b(per niente|per nulla|inutilmente|a vuoto)\b",
            r"\b(ore|giorni|settimane|mesi) di attesa\b",
            r"\b(preso|chiesto|prendere|chiedere) (un |una |dei )?(permesso|giorno libero|ferie)",
            r"\b(si è|si e'|ti sei|vi siete|si sono) ritrovat\w*",
            r"\b(si aspettava|ti aspettavi|vi aspettavate)\b", r"\bdelusione\b",
        ],
        "es": [
            r"\bfrustra", r"\bestr[eé]s", r"\bpreocupa", r"\bangusti",
            r"\b(tuvo|tuviste|tuvieron|ha tenido|has tenido|han tenido) que\b",
            r"\b(perdió|perdiste|perdieron|ha perdido|has perdido|han perdido)\b",
            r"\bno (pudo|pudiste|pudieron|ha podido|has podido|han podido)\b",
            r"\b(sus|tus) (clientes|invitados|empleados)\b",
            r"\b(le|te|les) (costó|ha costado|supuso|ha supuesto)\b",
            r"\b(imagino|imaginamos|entiendo|entendemos|sabemos|sé) (bien )?"
            r"(lo|cuánto|cuanto|que|cómo|como)\b",
            r"\btiempo perdido\b", r"\bconfi(aba|aban|ó|aste|ado) en\b", r"\bsin (acceso|poder)\b",
            r"\barruin", r"\bdolor de cabeza\b", r"\b(pudier|tuvier|perdier|quedar)\w*\b",
            r"\b(lleva|lleve|llevas|lleves|llevaba) (\w+ )?(semana|semanas|días|horas|mes|meses)\b",
            r"\b(pedir|pidió|pediste|pedido) (otro |un )?(día libre|permiso)\b",
            r"\bdecepci[oó]n\b", r"\bdecepcionad", r"\bmalestar\b", r"\benfad",
        ],
        "ru": [
            r"расстро", r"неприятн", r"стресс", r"беспокой", r"волновал", r"нервн",
            r"(вам|вы) (пришлось|потеряли|не смогли|не могли|ждали|переплатили|остались)",
            r"ваш\w* (клиент|покупател|гост|сотрудник|бизнес)",
            r"(понима\w*|представля\w*|знаем|знаю)\s*,? (как|насколько|что|сколько)",
            r"потерянн\w* врем", r"(без|не было) доступа", r"рассчитывал", r"потрачен",
            r"сорвал", r"(стоило|обошлось) вам", r"не (могли|смогли|мог|могла|смог|смогла)\b",
            r"отгул", r"отпрос", r"прожд", r"(вас|вам) не (пустили|дали|продали|выдали)",
            r"(вы|вам) (заплатили|отпросились|взяли|потратили)", r"встревож",
            r"неловк", r"испорч", r"испортил",
        ],
        "zh": [
            r"沮丧", r"焦虑", r"担心", r"困扰", r"烦恼", r"着急", r"麻烦",
            r"(您|你)(不得不|损失|无法|没能|白白|多付|等了|浪费|只能|一直在等)",
            r"(您|你)的(客户|团队|生意|业务|时间|计划|周末|员工|顾客)",
            r"(理解|明白|知道|想象)(这|您|你|此|得到)", r"耽误", r"影响了(您|你)", r"浪费了",
            r"(无法|没能|没法)", r"损失", r"等了", r"等待", r"白跑", r"请了\S{0,3}假", r"只能",
            r"(失望|尴尬|难过|不满|生气|不安(?!全)|愤怒|委屈|心急)",
            r"(想象|理解|体会)[^，。！？]{0,6}(多么|有多|多)",
        ],
    },
    "explanation": {
        "en": [
            r"\b(because|caused by|due to|the (root )?cause|what happened|happened (because|when)|"
            r"the reason)\b",
            r"\b(a|an|the) (bug|glitch|misconfiguration|fault|failure|typo|error|mix-up|mistake) "
            r"(in|on|during|with|at|when|that)\b",
            r"\b(turned out|here'?s what|it started when|traced (it|this|the)|we found that|"
            r"we (discovered|identified|confirmed) (that|a|an|the))\b",
            r"\b(was|were) (triggered|caused|mislabel\w*|misrout\w*|overwritten|deleted|"
            r"set up wrong|applied twice|sent to the wrong)\b",
            r"\b(went down|crashed|failed|broke|stopped|timed out) (when|after|because|at|"
            r"during|for)\b",
            r"\b(our|the|a|an) ([\w-]+ ){1,3}(ran|charged|sent|applied|picked|packed|shipped|"
            r"skipped|overwrote|deleted|failed|crashed|missed|went down|stopped|expired|locked|"
            r"treated|merged|mixed up|was to blame|lost|damaged|dropped|misplaced)\b",
            r"\b(on|from|with|to|at|in|into) the wrong\b",
            r"\b(which|that|this) (is|was|'s) why\b",
            r"\b(error|bug|fault|problem|issue|glitch) (occurred |happened )?in (the|our)\b",
            r"\b(we|I) (double-booked|mixed up|forgot|overlooked|misread|mislabel\w*|misrouted|"
            r"sent the wrong|shipped the wrong|packed the wrong|booked|scheduled|set|moved|"
            r"deployed|shipped|changed|rolled out|released|pushed)\b",
            r"\b(the|this) (problem|issue|error|outage|delay|failure|mistake) (was|came|started|"
            r"happened|began|affected)\b",
            r"\b(got|were|was|had been) (swapped|switched|mixed up|mislabell?ed|misrouted|"
            r"overwritten|wiped|corrupted|duplicated|misread|misfiled|left out|skipped)\b",
            r"\b(here'?s )?what went wrong\b", r"\b(happened|occurred) because\b",
            r"\b(I|we) (looked into|investigated|dug into|traced) (it|this|what happened|your)\b",
            r"\b(system|server|database|script|job|update|release|rule|setting|filter|check|"
            r"process|integration|sync|scanner|printer|app|platform|service|gateway|migration|"
            r"deploy\w*)s? (\w+ ){0,3}(failed|broke|crashed|stopped|froze|hung|timed out|"
            r"went down|misfired|skipped|ignored|flagged|rejected|retried|printed|assigned|"
            r"treated|swapped|was (switched|turned) off|was disabled)\b",
        ],
        "it": [
            # "mi scuso perché la valigia non è arrivata" names the problem, it does not explain
            r"^(?!.*\b(scus|dispiac|rammaric|perdon)\w*( [\w']+){0,2} perch[eé]\b).*\bperch[eé]\b",
            r"\ba causa d", r"\bcausat", r"\bla causa\b", r"\bil motivo\b",
            r"\b(cosa|cos'|che cosa) (è|e') successo\b", r"\bdovut[oa] a\b",
            r"\bun (bug|errore|guasto|problema|malfunzionamento) (nel|nella|del|della|di|durante|"
            r"in)\b",
            r"\b(abbiamo|ho) (scoperto|individuato|capito|verificato|ricostruito) (che|cosa|il|la|"
            r"l')",
            r"\b(è|e') (andato|andata) storto\b", r"\bin pratica\b", r"\bè successo che\b",
            r"\b(il|la|lo|l'|un|una|nostro|nostra) ([\w']+ ){1,4}(ha|aveva|hanno|avevano) "
            r"(addebitato|inviato|applicato|saltato|sovrascritto|cancellato|smesso|bloccato|"
            r"letto|spento|ripetuto|perso|assegnato|copiato|stampato)",
            r"\b(è|e') (nato|nata|dovuto|dovuta|derivato|partito) (da|a)\b",
            r"\b(il|l') (problema|errore|guasto|ritardo|disguido) (è|era|nasce|deriva)\b",
            r"\bnon (era|è|erano|sono) stat[oaie] \w+", r"\bper errore\b",
            r"\b(sono|è) stat[oaie] \w+ quando\b",
            r"\b(un|il|l'|uno) (nostro |piccolo |grave )?(bug|errore|guasto|problema|"
            r"malfunzionamento|difetto) (nel|nella|nell'|nei|del|della|dell'|di|durante|in|sul|"
            r"sulla)\b",
            r"\bha fatto sì che\b", r"\bper via d",
            r"\b(le|ti|vi) (spiego|spieghiamo) (cosa|quello che|come)\b",
            r"\b(sistema|server|gestionale|software|aggiornamento|app|sito|piattaforma|procedura|"
            r"controllo|scanner)\w* ([\w']+ ){0,4}(ha|aveva|hanno) (smesso|ignorat|bloccat|saltat|"
            r"cancellat|sovrascritt|rifiutat|duplicat|inviat|applicat|calcolat|assegnat|segnalat)",
        ],
        "es": [
            r"^(?!.*\b(disculp|perd[oó]n|siento|sentimos|lamento|lamentamos)\w*( \w+){0,2} "
            r"porque\b).*\bporque\b",
            r"\bcausad[oa]\b", r"\bdebido a\b", r"\bla causa\b", r"\bel motivo\b",
            r"\bla raz[oó]n\b", r"\blo que (pas[oó]|ocurri[oó]|sucedi[oó])\b",
            r"\bun (error|fallo|bug|problema) (en|de|del|durante|con|al)\b",
            r"\b(descubrimos|detectamos|identificamos|comprobamos|vimos) (que|el|la|un|una)\b",
            r"\bocurri[oó] (cuando|porque|que|al)\b", r"\bse debi[oó] a\b",
            r"\b(el|la|un|una|nuestro|nuestra|que) ([\w-]+ ){0,8}(cobr[oó]|envi[oó]|aplic[oó]|"
            r"borr[oó]|fall[oó]|se cay[oó]|dej[oó] de|volvi[oó] a|cerr[oó]|extravi[oó]|perdi[oó]|"
            r"entendi[oó]|ley[oó]|dej[oó]|separamos|etiquetamos|olvidamos|confundimos)\b",
            r"\b(el|la|los|las) \w+ equivocad[oa]s?\b", r"\bpor (un|una) (error|fallo|descuido)\b",
            r"\b(el|los)? ?(error|errores|fallo|fallos|problema) (en|de|del|durante|con|al) (la|"
            r"el|los|las|nuestro|nuestra)\b",
            r"\b(tenía|tuvo|contenía) (una|un) (errata|error|fallo)\b", r"\bvino de\b",
            r"\b(por error|err[oó]neamente)\b", r"\bse produjo (por|debido|a causa)\b",
        ],
        "ru": [
            r"потому что", r"из-за", r"причин", r"вызван", r"что (случилось|произошло)",
            r"дело в том", r"(ошибк\w*|сбой|сбоя|баг) (в|на|при|во) ",
            r"(выяснил\w*|обнаружил\w*|установил\w*|нашли|оказалось)\s*,?\s*(что|причин)?",
            r"(произошло|случилось) (так|это|из-за)", r"в результате", r"так как", r"по вине",
            r"(ошибочно|по ошибке)", r"(неправильно|неверно) \w+",
            r"(перепутал|не обработал|не попал|не отправил|удалили|указал неверн|отсканировал не)",
            r"поэтому", r"вследствие", r"(мы )?разобрались", r"как (это )?(случилось|произошло)",
            r"(сервер|систем|сервис|очеред|сайт|приложени|баз\w* данных|сканер|программ|"
            r"обновлени|алгоритм|робот|скрипт)\w* (\w+ ){0,3}(завис|упал|слома|отказ|не сработал|"
            r"перегруз|перестал|отключ|заблокир|списал|удалил|пропустил|не учл|сочл)",
        ],
        "zh": [
            r"因为", r"由于", r"原因", r"(?<!我们)(?<!我)导致", r"(?<!我们)(?<!我)(?<!您)造成",
            r"是这样的", r"经过",
            r"(系统|程序|服务器|脚本|代码|仓库|接口|配置)\S{0,6}(故障|错误|漏洞|bug|问题|出错|宕机)",
            r"我们(发现|查明|确认|排查)", r"出在",
            r"(弄混|贴反|漏看|漏发|误删|错误地|套用|放少|重复计算|重复出售)",
            r"(核对|查看|调查|排查|检查|查)了[^，。]{0,4}(记录|日志|原因|情况|订单)",
            # "经核查，您的账户已…重新核算" reports the fix, not the cause
            r"经(调查|核实|核查|排查|检查)(?![，,：:]?[^，。；]{0,8}(已|将|会))",
            r"(系统|程序|规则|服务器)[^，。]{0,6}把",
        ],
    },
    "responsibility": {
        "en": [
            r"\b(our|my) (own )?(fault|mistake|error|responsibility|oversight|doing|failure|"
            r"bad call|screw-?up|slip-?up)\b",
            r"\b(fault|mistake|error|failure|blame|responsibility|oversight)( here)? (is|was|lies|"
            r"rests|sits) (entirely |all |fully |squarely |solely |completely )?(ours|mine|"
            r"with us|with me|on us|on me)\b",
            r"\b(this|that|it)( one)?( is|'s| was) (all |entirely |squarely )?(ours|mine)\b",
            r"\b(we|I) (dropped|fumbled) the ball\b",
            r"\b(we|I) (blew|botched|bungled|fumbled) (it|this|that)\b",
            r"\b(we|I) (hold|held) (ourselves|myself) (fully |entirely )?(responsible|"
            r"accountable)\b",
            r"\bnobody else'?s\b", r"\b(not|wasn'?t|isn'?t) your fault\b", r"\bnothing you did\b",
            r"\b(we|I) (made|caused) (a|an|this|the|that) (mistake|error)\b",
            r"\b(we|I) (really )?(messed|screwed) (this |it )?up\b",
            r"\b(this|that|it|that one|this one)( is| was|'s) (entirely |all |completely )?"
            r"on (us|me)\b",
            r"\b(was|is|were) (our|my) (job|decision|call|responsibility|mistake|error)\b",
            r"\b(we|I) (missed|forgot|overlooked) (it|this|that|the)\b",
            r"\b(the )?(responsibility|fault|mistake) (is|was|lies) (ours|mine|with us)\b",
            r"\b(we|I) (take|accept) (full |complete |total )?(responsibility|ownership)\b",
            r"\b(we|I) (own|owned) (this|it|that|the mistake)\b",
            r"\b(we|I) should (have|'ve)\b",
            r"\b(we|I) failed (you|to)\b",
            r"\b(we|I)( have|'ve)? let you down\b",
            r"\b(we|I) got (this|it|that) wrong\b",
            r"\b(we|I) dropped the ball\b",
            r"\b(we|I)( are|'re| am|'m) (fully |entirely |solely )?(responsible|accountable|"
            r"to blame)\b",
            r"\bno excuse\b",
            r"\b(we|I) (didn'?t|did not) (catch|check|test|notice|verify|double-check)\b",
        ],
        "it": [
            r"\bcolpa (nostra|mia|solo nostra)\b", r"\b(nostro|mio) (errore|sbaglio)\b",
            r"\b(abbiamo|ho) sbagliato\b",
            r"\b(ci|mi) (assumiamo|assumo|prendiamo|prendo) (la |tutta la |piena )?"
            r"(piena |completa |intera )?responsabilità\b",
            r"\bresponsabilità (è )?(nostra|mia)\b", r"\b(avremmo|avrei) dovuto\b",
            r"\b(abbiamo|ho) commesso (un|l'|questo|quest') ?errore\b",
            r"\b(vi|ti|la|le) (abbiamo|ho) delus", r"\bnon (abbiamo|ho) (controllato|verificato)\b",
            r"\b(è|e') stato un (nostro|mio) errore\b", r"\bnessuna scusa\b",
            r"\berrore ([\w']+ ){0,3}(nostro|mio)\b",
            r"\b(nostra|mia) (svista|disattenzione|mancanza|negligenza|responsabilità)\b",
            r"\b(ci siamo|mi sono) sbagliat\w*", r"\b(abbiamo|ho) commesso\b",
            r"\b(ce|me) ne (assumiamo|assumo|prendiamo|prendo)\b",
            r"\bresponsabilità (è )?(\w+ )?(nostra|mia)\b",
            r"\b(siamo|sono) (pienamente |interamente |totalmente |gli unici |l'unico )?"
            r"responsabil\w*",
            r"\b(decisione|scelta|errore|sbaglio|svista) ([\w']+ ){0,3}(pres[ao]|fatt[ao]|"
            r"commess[ao]) da (noi|me)\b",
            r"\b(errore|sbaglio|svista|mancanza) ([\w']+ )?da parte (nostra|mia)\b",
            r"\b(non (è|e') (stata )?colpa (sua|tua|vostra))\b",
            r"\b(l'errore|la colpa|lo sbaglio|la svista) (è|è stato|è stata|era) (nostr|mi)",
        ],
        "es": [
            r"\bculpa (nuestra|mía|mia)\b", r"\b(nuestro|mi) error\b", r"\berror (nuestro|mío)\b",
            r"\b(nos|me) equivocamos\b", r"\b(nos|me) (hemos|he) equivocado\b",
            r"\b(hemos|he) cometido (un|el|este) error\b", r"\bcometimos (un|el|este) error\b",
            r"\b(asumimos|asumo) (toda |la |plena |total )*responsabilidad\b",
            r"\bresponsabilidad (es )?(nuestra|mía)\b", r"\bdeber[ií]a(mos)? haber\b",
            r"\b(el )?error (fue|es|ha sido) (nuestro|mío)\b",
            r"\b(la )?culpa (es|fue) (nuestra|mía)\b",
            r"\berror ([\w]+ ){0,3}(nuestro|mío)\b",
            r"\b(le|te|les|los|las) (fallamos|hemos fallado)\b",
            r"\bno (revisamos|comprobamos|verificamos)\b", r"\bsin excusas\b",
            r"\b(nos|me) (\w+ )?equivoc\w*", r"\b(hemos|he) cometido\b", r"\bcometimos\b",
            r"\b(error|fallo|culpa|responsabilidad|descuido|decisión|equivocación) (\w+ ){0,2}"
            r"(fue |es |ha sido )?(completamente |totalmente |enteramente )?(nuestr[oa]|mí[oa])\b",
            r"\blo asum(imos|o)\b",
            r"\basum(imos|o) (\w+ ){0,2}(culpa|error|fallo|consecuencias)\b",
            r"\b(somos|soy) (los |el )?(únic[oa]s? )?responsables?\b",
            r"\bpor (nuestra|mi) (culpa|causa)\b", r"\b(le|te|les|os) (hemos )?fallado\b",
            r"\bno (es|fue) (culpa|responsabilidad) (suya|tuya|vuestra)\b",
        ],
        "ru": [
            r"наш\w* (ошибк|вин|недосмотр|промах)", r"(мы|я) (ошиблись|ошибся|ошиблась)",
            r"(мы|я) (полностью |целиком )?виноват", r"(по|это) нашей вин",
            r"(берём|беру|берем) (на себя )?(всю |полную )?ответственност",
            r"ответственность (лежит )?(целиком |полностью )?на (нас|мне)",
            r"(мы|я) (должны были|должен был|должна была)", r"(мы|я) (вас )?подвели",
            r"(мы|я) допустил\w* ошибк", r"(мы|я) не (проверили|уследили|досмотрели|заметили)",
            r"это (наш|мой) (промах|косяк|недосмотр)", r"нет оправдани",
            r"(ошибка|вина|промах|недосмотр|упущение|оплошность|просч[её]т) (\w+ )?(целиком |"
            r"полностью )?(наш|мо[йя])", r"(мы|я) (\w+ )?(ошиблись|ошибся|ошиблась)",
            r"(мы|я) (\w+ )?допустил\w*",
            r"(по|из-за) (нашей|моей) (вин|ошибк|оплошност|недосмотр)",
            r"(за (не[её]|него|это|них|ошибку|случившееся|произошедшее) (\w+ )?отвеча(ем|ю))|"
            r"(отвеча(ем|ю) за (не[её]|него|это|них|ошибку|случившееся|произошедшее))",
            r"(было|был|была) (нашим|нашей|моим|моей)(?=\s*[,.;—!-]|\s+(и|решением|ошибкой))",
            r"(мы|я) (\w+ )?(подвели|подвёл|подвел)", r"не (ваша|твоя) вина",
        ],
        "zh": [
            r"我们的(错|失误|过失|责任|疏忽|问题)", r"是我们\S{0,2}(错|失误|责任|疏忽)",
            r"我们(犯了|出了)\S{0,3}错", r"责任(完全)?在(我们|我)",
            r"(我们|我)(承担|负)\S{0,4}责任",
            r"我们本(应|该)", r"我们(没有|没)(检查|核实|做好|测试|发现)", r"辜负", r"让您失望",
            r"我的错", r"我们搞砸", r"没有任何借口",
            r"(我们|我方|我)[^，。！？；,]{0,8}的(错|失误|过失|责任|疏忽|疏漏|过错)",
            r"是我们[^，。！？；,]{0,8}的问题",
            r"(由|是)我们[^，。！？；,]{0,4}(造成|导致|引起|负责)",
            r"(不找|没有)(任何)?借口", r"(与|和)(您|你)无关", r"不是(您|你)的(错|问题|责任)",
            r"我们(做错|搞错|弄错|犯错|犯了错)",
        ],
    },
    "remedy": {
        "en": [
            r"\b(we|I)('ve| have| has)? (already |now |just )?(fixed|refunded|resolved|restored|"
            r"corrected|issued|reversed|credited|sent|shipped|added|changed|updated|put in place|"
            r"rolled back|reprocessed|replaced|contacted|switched|moved|rebuilt|introduced|"
            r"cancelled|canceled|voided|booked|arranged|renewed|raised|re-?run|disabled|removed|"
            r"notified|reassigned|upgraded|separated|set up|given|deployed|patched|increased|"
            r"reverted|reset|unlocked|extended|waived|covered|started|put|made|built|rebooked|"
            r"rescheduled|scheduled)\b",
            r"\b(is|are|has been|have been) (re)?(booked|scheduled) for\b",
            r"\b(will|should) (arrive|be delivered|be back|reach you|be fixed|be ready|appear)\b",
            r"\b(is|are) (now )?being (reviewed|fixed|rebuilt|re-?checked|audited|replaced)\b",
            r"\b(went out|is on its way|are on their way|is in your inbox|has been sent)\b",
            r"\b(we|I)('ll| will| are going to| am going to| are| am) (also )?(now )?(be )?"
            r"(refund\w*|send\w*|fix\w*|follow\w* up|add\w*|review\w*|chang\w*|issu\w*|ship\w*|"
            r"credit\w*|call\w*|email\w*|replac\w*|monitor\w*|contact\w*|get back|updat\w*|"
            r"keep you|writ\w*|check\w*|introduc\w*|publish\w*|rebuild\w*|audit\w*|"
            r"personally)\b",
            r"\b(going forward|from now on|to prevent|so (that )?(this|it) (doesn'?t|does not|"
            r"can'?t|cannot))\b",
            r"\b(by|before|on or before) (monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
            r"tomorrow|the end of)\b",
            r"\bwithin (\d+|one|two|three|24|48)\b", r"\bnext steps?\b",
            r"\b(has|have|is|are) (now )?been (fixed|refunded|restored|resolved|credited|"
            r"corrected|reversed|replaced)\b",
            r"\b(is|are) (now )?(on (its|their) way|back (up|online)|fixed|restored)\b",
        ],
        "it": [
            r"\b(abbiamo|ho) (già |ora |appena )?(risolto|rimborsato|corretto|sistemato|"
            r"ripristinato|emesso|inviato|spedito|aggiunto|cambiato|aggiornato|introdotto|"
            r"accreditato|sostituito|annullato|stornato|rispedito|bloccato|attivato|separato|"
            r"prolungato|esteso|rifatto|ristampato|recuperato|spostato|fissato|riprogrammato)\b",
            r"\b(rimborseremo|invieremo|ricontatteremo|aggiorneremo|correggeremo|sistemeremo|"
            r"aggiungeremo|introdurremo|spediremo|accrediteremo|controlleremo|verificheremo|"
            r"scriveremo|chiameremo|pubblicheremo|riceverai|riceverà|riceverete|ti scriverò|"
            r"ti richiamerò|ti aggiornerò|vi aggiorneremo|arriverà|arriveranno|rimborsiamo)\b",
            r"\bd'ora in (poi|avanti)\b", r"\bper evitare\b", r"\bin modo che non\b",
            r"\bentro (\d+|lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|domani|fine|"
            r"oggi|stasera|\w+ (giorni|ore|settimane))\b",
            r"\bprossim\w* pass", r"\b(è|e'|sono) (già |ora )?(stat[oaie] )?(risolt|rimborsat|"
            r"ripristinat|corrett|accreditat|sistemat|annullat|recuperat|spedit|inviat|fissat)\w*",
            r"\b(sono|è) (già )?in viaggio\b", r"\bda oggi\b",
        ],
        "es": [
            r"\b(hemos|he) (ya )?(solucionado|corregido|reembolsado|arreglado|restablecido|"
            r"emitido|enviado|añadido|cambiado|actualizado|implementado|acreditado|reemplazado|"
            r"anulado|revertido|devuelto|bloqueado|activado|separado|introducido|descontado|"
            r"retirado|desactivado|cerrado|cambiado|reservado|reprogramado)\b",
            r"\b(ya|ahora) (usamos|revisamos|comprobamos|verificamos|enviamos|probamos|lo tiene)\b",
            r"\b(lo|la|los|las) recibirá(s|n)?\b",
            r"\b(sale|salen|llegará|llegarán) (hoy|mañana)\b",
            r"\b(se ha|se han) (anulado|corregido|devuelto|restablecido)\b", r"\bte llamará\b",
            r"\b(reembolsaremos|enviaremos|revisaremos|corregiremos|añadiremos|implementaremos|"
            r"acreditaremos|cambiaremos|contactaremos|escribiremos|llamaremos|mantendremos|"
            r"publicaremos|devolveremos|recibirá|recibirás|recibirán|le escribiré|te escribiré|"
            r"le llamaré|te llamaré|le avisaré|te avisaré)\b",
            r"\b(a partir de ahora|de ahora en adelante|desde hoy|para evitar|para que no)\b",
            r"\bantes del? (lunes|martes|miércoles|jueves|viernes|sábado|domingo|mañana|"
            r"final|fin)\b",
            r"\b(el|este|esta|mañana|hoy) (lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
            r"mismo día|tarde|mañana)?,? ?(\w+ )?(te|le|les|os|lo|la|los|las) (escrib|llam|envi|"
            r"avis|contact|confirm|entreg|recib)\w*",
            r"\b(en|dentro de) (las próximas )?(\d+|dos|tres|un|una) (horas|días|hora|día)\b",
            r"\bpróximos pasos\b",
            r"\b(ha|han|está|están) (sido )?(ya )?(solucionad|reembolsad|restablecid|corregid|"
            r"acreditad|en camino)\w*",
        ],
        "ru": [
            r"(мы|я) (уже |сразу |сегодня )?(исправили|исправил|вернули|вернул|восстановили|"
            r"отправили|начислили|добавили|изменили|обновили|внедрили|заменили|отменили|"
            r"настроили|перевели|оформили|заблокировали|разделили|ввели)",
            r"(вернём|вернем|исправим|отправим|свяжемся|напишем|позвоним|начислим|добавим|"
            r"внедрим|проверим|заменим|сообщим|опубликуем|пришлём|пришлем|получите)",
            r"(теперь|отныне|впредь|чтобы (это|такое|подобное) (не|больше не))",
            r"в течение (\d+|одного|двух|трёх|трех|суток|дня|недели)",
            r"до (понедельника|вторника|среды|четверга|пятницы|субботы|воскресенья|конца|завтра)",
            r"\bзавтра\b", r"(уже )?(исправлен\w*|восстановлен\w*|возвращен\w*|начислен\w*|"
            r"зачислен\w*|перенаправлен\w*|пересчитан\w*|назначен\w* на)",
            r"(придёт|придет|придут|приедет|будет возвращен\w*)",
            r"(мы|я) (уже )?(сняли|продлили|откатили|записали|перевели|пересчитали)",
            r"(привезут|доставят|позвонит|перезвонит|свяжется|отправят|пришлют|вернут|заменят)",
            r"уже (забрали|отправили|исправили|вернули|заменили|перевели|начислили|доставили)",
        ],
        "zh": [
            r"(我们|我)(已|已经)\S{0,6}(修复|退|恢复|更正|补|发|增加|添加|调整|更新|上线|加入|取消|"
            r"安排|处理|寄|冻结|撤回|分开|重新|免除|关闭|找回|改为|预约)",
            r"(明天|今晚|今天|后天)\S{0,8}(送达|上门|到|发出|寄出|联系)", r"已于",
            r"将(在|于)?\S{0,10}(送达|寄|发|到账|联系|发布|更换|上门)",
            r"(我们|我)(将|会)\S{0,6}(退|补|修|发|联系|通知|更新|增加|上线|加入|检查|审查|安排|寄)",
            r"已(经)?(修复|退还|退款|恢复|到账|补发|安排|寄出)", r"为了(避免|防止)", r"今后",
            r"从(今天|现在)起", r"(\d+|一|两|三|二十四|四十八)(个)?(工作日|小时|天)内",
            r"(周一|周二|周三|周四|周五|周六|周日|明天|月底)(之前|前)", r"下一步",
        ],
    },
}

# Phrases that describe the slip itself ("the name was written wrong", "发错了"). They count as an
# explanation only outside the apology sentence: inside it they merely name the problem.
EXPLANATION_WEAK: dict[str, list[str]] = {
    "zh": [r"(选|开|发|写|拿|填|贴|算|打|弄|搞|记|看|寄|送|装)错", r"(误写|写成了|标成了|印成了)"],
}

# --- anti-patterns ----------------------------------------------------------------------------

NON_APOLOGY: dict[str, list[str]] = {
    "en": [
        r"\b(for|about) any (inconvenience|trouble|issues?|disruption|confusion|frustration)\b",
        r"\b(inconvenience|trouble|disruption|confusion) (this|that|it) (may|might) (have )?"
        r"caused\b",
        r"\bsorry (to hear|(that )?this happened to you|(that )?you (feel|felt|think|thought|"
        r"found|see it|(are|were|feel|felt) (upset|unhappy|disappointed|dissatisfied)))\b",
        r"\bsorry for (the|your) (feelings|frustration|disappointment)\b",
        r"\bregret (any|the) inconvenience\b",
    ],
    "it": [
        r"\b(per |dell'|degli )?(eventual[ei]|qualsiasi|ogni) (disagi|disagio|inconvenient[ei]|"
        r"fastidio|problema)",
        r"\b(ci )?dispiace (che|se) (ti|vi|lei|tu) (sia|siate|senta|sentiate|abbia)",
        r"\bdisagi(o)? (che )?(questo|ciò) (possa|potrebbe) (aver|avere) caus",
    ],
    "es": [
        r"\b(disculp\w*|perd[oó]n\w*|lament\w*|sentimos)\s+(por\s+)?(las|cualquier|posibles|"
        r"toda|todas las) (molestias|inconvenientes?|trastornos?)\b",
        r"\b(molestias|inconvenientes) (ocasionad|causad)\w*",
        r"\blamentamos que (usted |tú )?(se sienta|te sientas|se haya sentido|piense|pienses)",
        r"\blo (siento|sentimos) si (se sintió|te sentiste|le molestó|te molestó)\b",
    ],
    "ru": [
        r"(за |о )?(возможн\w*|доставленн\w*|любые|причинённ\w*|причиненн\w*) неудобств",
        r"жаль, что вы (так )?(считаете|чувствуете|остались недовольны)",
    ],
    "zh": [
        r"(任何|一切|可能|所有)(的)?(带来|造成)?(的)?不便",
        r"(带来|造成)的(任何)?不便(深表|表示)?(歉意|抱歉)",
        r"很遗憾(您|你)(觉得|认为|感到)",
    ],
}

CONDITIONAL: dict[str, list[str]] = {
    "en": [
        r"\b(sorry|apologi[sz]e|apologies) (to you )?if\b",
        r"\bif (you|anyone|any customers?) (were|was|have been|has been|felt|experienced|"
        r"noticed) (affected|impacted|inconvenienced|upset|any)",
        r"\bif (this|that|it) (has )?(caused|affected|upset|inconvenienced)\b",
        r"\bto the extent (that )?(you|anyone)\b",
        r"\bapologi[sz]e to (anyone|those) who (may|might)\b",
    ],
    "it": [
        r"\b(scus\w*|dispiace|rammaric\w*) (per )?(se|qualora|nel caso)\b",
        r"\b(se|qualora|nel caso in cui) (ti|vi|le|questo|ciò)? ?(abbiamo|abbia|sia|siano|"
        r"avete|hai|ha) (\w+ )?(creato|causato|arrecato|dato|subito|avuto|stat[oia] "
        r"(coinvolt|interessat|colpit))",
        r"\b(se|qualora|nel caso in cui) (ti|vi|lei)? ?(sei|siete|è|sia|foste|fossi) "
        r"(stat[oia] )?(coinvolt|interessat|colpit)",
    ],
    "es": [
        r"\b(disculp\w*|lo (siento|sentimos)|lamentamos|perd[oó]n\w*) si\b",
        r"\bsi (usted |tú )?(se vio|se ha visto|se sintió|fue|ha sido|te viste|te has visto|"
        r"resultó) (afectad|perjudicad|molest)",
        r"\bsi (esto|esta situación|este error|esta incidencia) (le|te|les) (caus[oó]|ha causado|"
        r"afect[oó]|ha afectado|molest[oó])",
        r"\ben caso de que (le|te|les|usted|tú) (haya|hayamos)",
    ],
    "ru": [
        r"(извин\w*|прост\w*|сожале\w*)\s*,?\s*если",
        r"если (вы|вас|это|у вас|кого-то|кто-то) (\w+ )?(затронул|затронуло|коснулось|"
        r"пострадал|были затронуты|столкнулись|доставило|причинило|расстроило|огорчило)",
        r"если (вы|кто-то) (был|была|были) (затронут|задет|огорч)",
    ],
    "zh": [
        r"(如果|若|如|假如)(有)?(给|对)?(您|你|各位)?\S{0,15}(造成|带来|受到|影响)\S{0,12}"
        r"(抱歉|歉意|谅解|对不起)",
        r"如有不便", r"若有不便", r"如果您(受到|被)影响",
    ],
}

# An "if" clause about being affected, anywhere in a sentence that also apologises ("if last
# week's outage caused you problems, we apologise", "если 25-го вы столкнулись ..., приносим
# извинения"). Matched only in apology sentences, so "if you need anything" stays harmless.
CONDITIONAL_CLAUSE: dict[str, list[str]] = {
    "en": [r"\b(if|in case|should)\b.{0,80}\b(affected|impacted|inconvenienc\w*|experienced|"
           r"noticed|caused|upset|bothered|troubled|disrupted|had (any|some) (trouble|issues?|"
           r"problems?|difficult\w*))\b"],
    "it": [r"\b(se|qualora|nel caso)\b.{0,80}\b(causat|creat|arrecat|provocat|subit|avuto|"
           r"riscontrat|coinvolt|interessat|colpit|notat|incontrat)\w*"],
    "es": [r"\b(si|en caso de que)\b.{0,80}\b(afectad|perjudicad|molest|caus[oóa]|causado|"
           r"ocasion|sufri|sufrió|tuvo|tuviste|ha tenido|has tenido|experiment|not[oó])\w*"],
    "ru": [r"\bесли\b.{0,80}(столкнул|затронул|пострадал|коснул|доставил|причинил|расстроил|"
           r"огорчил|испытал|неудобств|возникл|заметил)"],
    "zh": [r"(如果|若|如|假如|倘若)[^。！？]{0,30}(造成|带来|受到|影响|遇到|感到|不便|困扰)"],
}

BLAME_STRONG: dict[str, list[str]] = {
    "en": [
        r"\b(not|wasn'?t|isn'?t) (our|my) fault\b", r"\b(beyond|outside) (of )?our control\b",
        r"\byou (should have|failed to|forgot to|didn'?t read|did not read)\b",
        r"\byou missed the (\w+ )?(email|notice|message|instructions?|warning|reminder|terms|"
        r"small print|fine print|cut-?off|notification)s?\b",
        r"\byou (entered|typed|chose|selected|gave us|provided|used|picked|clicked) (the |a |an |"
        r"your )?(wrong|incorrect|old|outdated|invalid|previous)\b",
        r"\b(entirely|completely|solely|squarely) on (their|the \w+'?s?) (side|end)\b",
        r"\bnothing wrong (with|on) our (side|end|platform|system|part)\b",
        r"\b(their|the (vendor|courier|carrier|provider|partner|supplier|bank)'?s?) (fault|"
        r"mistake|error|responsibility)\b", r"\bthey let (us|you)\b.{0,30}\bdown\b",
        r"\b(user error|(error|problem|issue|mistake|fault) (was |is )?on your (end|side))\b",
        r"\bas (stated|explained|clearly stated|mentioned) in our (terms|policy|faq)\b",
        r"\b(entirely|completely|solely) (the )?(fault|responsibility) of\b",
        r"\bthere was nothing (we|anyone) could (have )?do(ne)?\b",
    ],
    "it": [
        r"\bnon (è|e') (stata )?colpa (nostra|mia)\b", r"\b(fuori|al di fuori) (dal|del) nostro "
        r"controllo\b", r"\bnon dipend\w* da noi\b", r"\b(avresti|avreste) dovuto\b",
        r"(^|\b(lei|voi|tu) )(\w+ )?(avrebbe|avreste|avresti) dovuto\b",
        r"\b(hai|avete|ha) inserito\b", r"\bcome (indicato|specificato|scritto) nei (nostri )?"
        r"(termini|condizioni)\b", r"\b(interamente|esclusivamente) (a causa|colpa|responsabilità)",
        r"\b(da parte nostra|dal nostro lato) (non c'(è|e') stato|nessun)",
        r"\bcolpa (del|della|dei|dello) (corriere|fornitore|banca|partner|vettore)",
    ],
    "es": [
        r"\bno (es|fue) (culpa|responsabilidad) (nuestra|mía)\b", r"\bfuera de nuestro control\b",
        r"\bno depend\w* de nosotros\b", r"\b(usted|tú) (debería|deberías|debió|debiste)\b",
        r"\b(debería|deberías) haber (revisado|leído|comprobado)\b",
        r"\b(usted|tú) (introdujo|introdujiste|escribió|escribiste|eligió|elegiste)\b",
        r"\bcomo (indican|dicen|se indica en) (nuestros|los) (términos|condiciones)\b",
        r"\b(únicamente|exclusivamente|totalmente) (culpa|responsabilidad) de(l)?\b",
        r"\b(introdujo|introdujiste|escribió|escribiste|eligió|elegiste|indicó|indicaste) (una|un|"
        r"la|el|su|tu) (\w+ )?(equivocad|incorrect|antigu|err[oó]ne)",
        r"\b(nada|ningún error|ningún fallo) (por|de) nuestra parte\b",
    ],
    "ru": [
        r"не (по )?наш\w* вин", r"не наша вина", r"от нас не завис", r"вне нашего контроля",
        r"(вы|вам) (должны были|следовало|нужно было)", r"вы (сами|неправильно|неверно|ошибочно) ",
        r"как указано в (наших )?(правилах|условиях|оферте)", r"целиком (на совести|по вине)",
        r"вы (\w+ ){0,2}не (изменили|проверили|указали|обновили|заметили|прочитали|ознакомились)",
        r"с нашей стороны (всё|все) (было )?(сделано|верно|правильно|корректно|по)",
        r"(по вашей вине|с вашей стороны|на вашей стороне)",
    ],
    "zh": [
        r"(不是|并非|非)(我们|我方)的?(错|责任|过错|原因)", r"不可抗力",
        r"(您|你)(应该|本应|本该)(先|提前|自己|自行|仔细|及时)?(检查|核对|确认|阅读|查看|注意|留意|"
        r"更新|看清)", r"(您|你)没有仔细",
        r"(您|你)自己(的)?(操作|填写|输入|选择|疏忽|失误|弄错|搞错|填错|输错|选错|看错|点错|责任|原因)",
        r"(超出|不在)我们(的)?(控制|掌控)",
        r"完全是(?!我们|我方|我的)\S{0,8}(的)?(责任|问题|过错)",
        r"(用户|您)(操作)?(失误|错误)",
        r"(您|你)(填写|输入|选择|提供)[^，。,]{0,4}(错|有误|不正确)",
        r"我们(这边|方面)?(没有|并无|不存在)(任何)?(问题|过错|错误)",
    ],
}

BLAME_WEAK: dict[str, list[str]] = {
    "en": [
        r"\b(our|the|a) (third[- ]party |external |shipping |payment |hosting |cloud |"
        r"logistics |delivery )?(vendor|supplier|partner|provider|courier|carrier|contractor|"
        r"bank|processor|agency|warehouse partner)\b.{0,60}\b(fault|caused|failed|messed|"
        r"lost|mixed up|dropped|was responsible|is responsible|to blame|let us down|error|"
        r"failure|outage|went down)",
        r"\b(due to|because of|caused by) (a |an |the )?(issue|problem|failure|outage|error|fault) "
        r"(with|at|on) (our |the |a )?(third[- ]party |external |payment |shipping |delivery )?"
        r"(vendor|supplier|partner|provider|courier|carrier|contractor|bank|processor|gateway)",
        r"\b(due to|because of|caused by) (a |an |our |the )?(third[- ]party|vendor|supplier|"
        r"partner|provider|courier|carrier|contractor|bank|processor)",
    ],
    "it": [
        r"\b(fornitor|corrier|partner|terz[ei] part|provider|banca|spedizionier|appaltator)"
        r"\w*.{0,60}(colpa|causat|responsabil|errore|sbagliat|perso|smarrit)",
        r"\b(a causa|per colpa|causat\w*) (del|della|dei|di|da) (nostro |nostra )?"
        r"(fornitor|corrier|partner|terz|provider|banca|spedizionier)",
    ],
    "es": [
        r"\b(proveedor|mensajer|transportista|socio|terceros|empresa de (envíos|paquetería|"
        r"transporte)|banco|pasarela)\w*.{0,60}(culpa|caus|responsab|error|perdió|extravió|"
        r"falló)",
        r"\b(debido a|por culpa de|causad\w* por) (un |una |el |la |nuestro |nuestra )?"
        r"(proveedor|mensajer|transportista|socio|terceros|banco)",
    ],
    "ru": [
        r"(по вине|из-за|ошибк\w*|сбо\w*) (наш\w* )?(партн[её]р|поставщик|курьер|подрядчик|"
        r"банк|перевозчик|служб\w* доставки|сторонн)",
        r"(партн[её]р|поставщик|курьер|подрядчик|перевозчик|служба доставки)\w*.{0,60}"
        r"(виноват|ошиб|потерял|перепутал|подвёл|подвел)",
    ],
    "zh": [
        r"(由于|因为|是)\S{0,4}(第三方|供应商|快递|合作方|物流|服务商|外包|银行)",
        r"(第三方|供应商|快递公司|合作方|物流公司|服务商|外包)\S{0,20}(失误|错误|责任|问题|导致|弄丢|搞错)",
    ],
}

PASSIVE_STRONG: dict[str, list[str]] = {
    "en": [r"\b(mistakes|errors) (were|have been) made\b",
           r"\b(it|this) has come to our attention\b",
           r"\bthe (situation|matter|issue) (was|has been) not (handled|managed)\b"],
    "it": [r"\bsono stat[ie] commess[ie] (degli |alcuni )?errori\b",
           r"\b(è|e') stat[oa] commess[oa] (un|qualche) (errore|svista)\b"],
    "es": [r"\bse (cometieron|han cometido|ha cometido|cometió) (algunos |unos )?(errores|"
           r"un error)\b"],
    "ru": [r"(были|была) допущен\w* (некотор\w* )?ошибк"],
    "zh": [r"(出现|发生|存在)了?(一些|某些)(错误|失误|疏漏)"],
}

PASSIVE_WEAK: dict[str, list[str]] = {
    "en": [r"\b(an|a|some) (error|issue|problem|mistake|glitch) (occurred|happened|was "
           r"(encountered|experienced|detected))\b",
           r"\b(was|were|has been|have been) (processed|sent|charged|shipped|applied|deleted|"
           r"cancell?ed) (incorrectly|in error|by mistake|erroneously)\b",
           r"\bthings (did not|didn'?t) go as planned\b",
           r"\b(was|were) (not|never) (caught|detected|noticed|spotted) (in time|before|until)\b"],
    "it": [r"\bsi (è|e') verificat[oa] (un|una|qualche) (errore|problema|disguido|anomalia)",
           r"\b(è|sono) stat[oiae] (inviat|addebitat|spedit|applicat|cancellat)\w* "
           r"(per errore|erroneamente)", r"\bc'(è|e') stato un (disguido|errore|problema)\b"],
    "es": [r"\bse (produjo|ha producido|presentó|generó) (un|una|algún) (error|problema|"
           r"incidencia|fallo)", r"\bhubo (un|una|algún) (error|problema|fallo|incidencia)\b",
           r"\b(fue|fueron) (enviad|cobrad|aplicad|borrad|cancelad)\w* (por error|"
           r"erróneamente)", r"\bno (fue|fueron) (detectad|advertid|revisad)\w*"],
    "ru": [r"(произошл\w*|возникл\w*|случил\w*) (техническ\w* )?(ошибк|сбой|проблем|"
           r"недоразумени)", r"(был|была|было|были) (отправлен|списан|применен|удален)\w* "
           r"(по ошибке|ошибочно)"],
    "zh": [r"(出现|发生)了?(一个|一次|一些)?(错误|失误|问题|故障|疏忽|疏漏|差错)",
           r"被(错误|误)(地)?(发送|扣款|扣费|发出)", r"(未能|没能|未)被?(发现|察觉|检查出)",
           r"被(装|寄|发|放|写|贴)错"],
}

TRIVIALIZING: dict[str, list[str]] = {
    "en": [
        r"\bother (customers|users|clients|people) (had|have|reported|experienced|didn'?t|"
        r"did not|haven'?t|have not|were)\b",
        r"\b(only|just) (a )?(minor|small|tiny|brief|slight|little) (issue|glitch|hiccup|"
        r"problem|delay|inconvenience|error|outage|bug)\b",
        r"\b(minor|small|tiny) (glitch|hiccup|blip)\b", r"\bno big deal\b",
        r"\bmost (customers|users|people|of our customers|of our users) (didn'?t|did not|"
        r"won'?t|wouldn'?t|never|barely|hardly)\b",
        r"\b(barely|hardly) (noticeable|anyone|affected)\b",
        r"\b(it was )?(only|just) (a )?(few|couple of) (minutes|hours|emails|orders)\b",
        r"\bnot (really )?(a|that) (big|serious) (deal|issue|problem)\b",
        r"\b(an? )?(isolated|rare|one-off) (case|incident)\b",
        r"\b(the )?(vast |great |overwhelming )?majority of (our )?(customers|users|clients|"
        r"orders)\b.{0,60}\b(fine|without (any )?(problem|issue)|normal\w*|unaffected)",
        r"\boverall,? (the )?(service|everything) (worked|ran|was) (fine|normal\w*|as expected)",
    ],
    "it": [
        r"\baltri clienti (non|hanno|non hanno)\b", r"\b(piccol\w*|lieve|minim\w*) "
        r"(inconveniente|disguido|intoppo|ritardo|problema)\b", r"\bniente di grave\b",
        r"\bla maggior parte (dei|degli) (clienti|utenti) (non|neanche)\b",
        r"\b(solo|soltanto) (qualche|pochi|poche|un paio di) (minut|or|email|ordin)",
        r"\bnessun altro (cliente|utente)\b", r"\bcaso (\w+ )?isolato\b",
        r"\b(la )?(stragrande |grande )?maggior parte (dei|degli|delle) (nostri |nostre )?"
        r"(clienti|utenti|ordini)\b.{0,80}\b(senza|nessun|regolar)",
    ],
    "es": [
        r"\botros (clientes|usuarios) (no|han|tuvieron)\b", r"\b(pequeñ\w*|leve|mínim\w*) "
        r"(inconveniente|contratiempo|problema|retraso|fallo)\b", r"\bnada grave\b",
        r"\bla mayoría de (los )?(clientes|usuarios) (no|ni)\b",
        r"\b(solo|sólo|apenas) (unos|unas|algunos|un par de) (minutos|horas|correos|pedidos)",
        r"\bningún otro (cliente|usuario)\b", r"\bcaso (\w+ )?aislado\b",
        r"\b(la )?(gran )?mayoría de (nuestros |los )?(clientes|usuarios|pedidos)\b.{0,80}"
        r"\b(sin (ningún )?problema|con normalidad)\b", r"\bfuncionó con (total )?normalidad\b",
    ],
    "ru": [
        r"друг\w* (клиент|пользовател|покупател)\w* (не|никаких|без)", r"ничего страшного",
        r"(незначительн|небольш|мелк)\w* (сбой|ошибк|задержк|неудобств|проблем|недочёт|недочет)",
        r"большинство (клиентов|пользователей) (даже )?(не|ничего)",
        r"(всего|лишь) (пару|несколько) "
        r"(минут|часов)", r"(ни у кого|никто) (больше|другой|из других)",
        r"(единичн|редк|исключительн)\w* случа",
        r"(подавляющее )?большинство (наших )?(клиентов|пользователей|заказов).{0,80}"
        r"(без (каких-либо )?(проблем|сбоев)|в штатном режиме)",
    ],
    "zh": [
        r"其他(客户|用户|顾客)(都)?(没有|没|并未|都没)", r"(只是|仅仅是|不过是)(一个)?(小|一点)",
        r"小(问题|故障|插曲|失误)", r"没什么大不了",
        r"大(多数|部分)(用户|客户|顾客)(都)?(没有|没|不会|并未)",
        r"(只有|仅)(几|短短)(分钟|个小时)", r"(个别|极个别)(情况|现象|案例)",
        r"绝大(多数|部分)(的)?(用户|客户|顾客|订单)[^。]{0,20}(正常|没有问题|不受影响)",
    ],
}

OVER_PROMISING: dict[str, list[str]] = {
    "en": [r"\b(will|shall) never (happen|occur) again\b", r"\bnever (happen|occur)s? again\b",
           r"\bwon'?t (ever )?happen again\b", r"\bwill not (ever )?happen again\b",
           r"\bguarantee (that )?(this|it|nothing like this|no)\b",
           r"\b(100|one hundred) ?(%|percent) (sure|certain|guarantee)",
           r"\bnever (again )?(face|see|experience|have) (this|a|an|any) (problem|issue|delay)",
           r"\b(this|it|that) (will|can)( never|not|'t) (ever )?(happen|occur) again\b",
           r"\b(100|one hundred) ?(%|percent) (safe|secure|reliable|error-free)\b",
           r"\b(completely|totally|absolutely|perfectly) (safe|secure|bulletproof|foolproof) "
           r"(from now on|forever|going forward)\b"],
    "it": [r"\bnon (succederà|accadrà|capiterà|si ripeterà) (mai )?più\b", r"\bmai più\b",
           r"\bgarantiamo che (non|questo|ciò)\b", r"\bgaranti(sco|amo) al 100",
           r"\bal (cento per cento|100 ?%)", r"\bmai e poi mai\b",
           r"\bnon (ricapiterà|si verificherà|succederà|accadrà|si ripeterà)( mai)? più\b"],
    "es": [r"\bnunca (más )?(volverá|vuelva|va) a (pasar|ocurrir|suceder|repetirse)\b",
           r"\bno (volverá|va a volver) a (pasar|ocurrir|suceder|repetirse)\b",
           r"\bgarantizamos que (no|esto|nunca)\b", r"\bjamás (volverá|vuelva)\b",
           r"\bal (cien|100) ?(%|por ciento)", r"\b(nunca|jamás) (más )?(volverá|vuelva|va) a\b"],
    "ru": [r"(никогда )?больше (никогда )?не повтор", r"никогда не повторится",
           r"гарантируем, что (это|такое|подобное|больше)", r"больше никогда",
           r"(никогда|ни в коем случае) (больше )?не (повтор|случится|произойд)",
           r"на (все )?100 ?%", r"гарантир\w*,? что (это|такое|подобное|ничего)"],
    "zh": [r"(绝|再也|永远)不会再?(发生|出现)", r"保证\S{0,8}(不会|不再)(再)?(发生|出现)",
           r"杜绝\S{0,6}(再次)?(发生|出现)",
           r"(绝对|绝|再也|永远|一定|保证)[^，。！？,]{0,4}不会[^，。！？,]{0,2}(发生|出现|遇到|犯)",
           r"(都|再)不会再(遇到|发生|出现)", r"百分之百(安全|不会)"],
}

SELF_ABASEMENT: dict[str, list[str]] = {
    "en": [r"\b(ashamed|mortified|humiliated|unforgivable|inexcusable|beyond words|grovel|"
           r"beg (you|your)|don'?t deserve)\b", r"\bfrom the bottom of our hearts\b.*\bagain\b"],
    "it": [r"\b(imperdonabil|ci vergogniamo|mi vergogno|non (ci )?meritiamo|mortificat)"],
    "es": [r"\b(imperdonable|nos avergonzamos|me avergüenzo|avergonzad|no (nos )?merecemos)"],
    "ru": [r"(непростительн|нам (очень )?стыдно|мне стыдно|не заслуживаем|сгораем от стыда)"],
    "zh": [r"(不可原谅|无地自容|羞愧|无颜面对|实在没脸)"],
}

HUMOUR: dict[str, list[str]] = {
    "en": [r"\b(oops|whoops|oopsie|haha|lol|yikes|gremlins?|hamsters?|our bad|facepalm|"
           r"butterfingers|d'oh)\b"],
    "it": [r"\b(ops|oops|ahah\w*|ahahah|gremlin\w*|criceti|che figuraccia|pasticcioni)\b"],
    "es": [r"\b(ups|uy|jaja\w*|gremlins?|duendes|hámster\w*|vaya metedura)\b"],
    "ru": [r"(упс|ой-ой|хаха|гремлин|хомяч|хомяк|накосячили)"],
    "zh": [r"(哈哈|囧|手滑|小怪兽|嘿嘿|小仓鼠|捣乱的小精灵)"],
    "*": [r"[\U0001F600-\U0001F64F\U0001F920-\U0001F92F\U0001F923\U0001F648\U0001F602\U0001F605"
          r"\U0001F643\U0001F62C\U0001F926]"],
}

HAPPIER_PROMISE: dict[str, list[str]] = {
    "en": [r"\b(happier|more satisfied|more delighted) than (before|ever)\b",
           r"\bbetter than (before|ever)\b.{0,40}\b(you|your experience)\b",
           r"\byou'?ll (end up |actually )?(love|like) us (even )?more\b",
           r"\b(glad|grateful) (that )?this happened\b"],
    "it": [r"\bpiù (soddisfatt|content|felic)\w* (di|che) (prima|mai)\b",
           r"\bancora più (soddisfatt|content|felic)", r"\bcontent\w* che sia successo\b"],
    "es": [r"\bmás (satisfech|content|feliz|felices)\w* (que|de lo que) (antes|nunca|estaba)",
           r"\b(aún|todavía) más (satisfech|content|feliz)", r"\bcontent\w* de que haya pasado\b"],
    "ru": [r"(довольн|счастлив)\w* (\w+ ){0,2}(больше|сильнее),? чем (раньше|прежде|до)",
           r"(ещё|еще) (больше|более) довольн", r"счастливее, чем (раньше|прежде)",
           r"(останетесь|будете) (даже )?(довольнее|счастливее)"],
    "zh": [r"比(以前|之前|过去|原来)更(满意|开心|满足|喜欢|高兴)",
           r"(更加|更)(满意|开心)于(从前|以往)"],
}

FORGIVENESS: dict[str, list[str]] = {
    "en": [r"\b(forgive us|your forgiveness|give us (another|a second) chance)\b",
           r"\bif (you think )?(this|that) (is|isn'?t|is not) (not )?enough\b"],
    "it": [r"\b(perdonaci|perdonateci|ci perdonerai|il tuo perdono)\b", r"\bse (pensi che )?"
           r"(questo|non) (non )?(sia|basta)"],
    "es": [r"\b(perdónanos|perdónenos|su perdón|tu perdón)\b", r"\bsi (cree|crees) que (esto )?"
           r"no es suficiente\b"],
    "ru": [r"(простите нас|прощени|если (вам )?(этого )?недостаточно)"],
    "zh": [r"(请原谅|希望您原谅|如果您觉得(这|还)?不够)"],
}

# --- compensation -----------------------------------------------------------------------------
# Offer types: refund (money back now), voucher (credit/discount for later), exchange (a
# replacement or the service redone), upgrade. Matched per sentence; amounts are parsed from the
# same sentence by language-independent number patterns.

OFFER_TYPES: dict[str, dict[str, list[str]]] = {
    "refund": {
        "en": [r"\brefund\w*", r"\bmoney back\b", r"\breimburs\w*", r"\bback (to|on|into) your "
               r"(card|account|bank)", r"\b(reversed|reverse) the (charge|payment)\b",
               r"\bpaying (you )?back\b", r"\bwe'?ll cover\b", r"\bwe (have )?covered\b",
               r"\b(paid|transferred|wired) you\b.{0,30}\d"],
        "it": [r"\brimbors\w*", r"\bstornat\w*", r"\bstorno\b", r"\bresti?tui\w*"],
        "es": [r"\breembols\w*", r"\bdevol\w*", r"\bdevuelto\b", r"\bdevuelt\w*", r"\breintegr\w*",
               r"\babon(ad[oa]s?|amos|aremos)\b"],
        "ru": [r"возврат", r"(вернул|вернём|вернем)\w* (\w+ ){0,3}(вам|деньг|средств|сумм|"
               r"стоимост|оплат|плат|вс[её]\b)", r"(вам|деньги|средства|сумму) (\w+ ){0,2}"
               r"(вернул|вернём|вернем)", r"возмест", r"компенсир\w*",
               r"перевел\w* (вам )?\d", r"перевели вам", r"деньги (придут|поступят)"],
        "zh": [r"退款", r"退还", r"退回", r"返还", r"赔付", r"原路退", r"转账", r"现金(补偿|赔偿)",
               r"打款"],
    },
    "voucher": {
        "en": [r"\bvoucher\b", r"\bcoupon\b", r"\bdiscount\b", r"\b(store |account |service )?"
               r"credit\b", r"\bgift card\b", r"\b(promo|discount) code\b", r"\boff your next\b",
               r"\b\d+ ?% off\b", r"\bfree (month|months|year|week|weeks)\b",
               r"\b(days?|weeks?|months?) of (free )?(service|credit)\b",
               r"\bcredited (your|the|every|each) account\b"],
        "it": [r"\bbuono\b", r"\bsconto\b", r"\bcredito\b", r"\bcoupon\b", r"\bcodice\b",
               r"\b(mese|mesi|settimana|settimane|giorni) (di servizio )?(gratis|gratuit\w*|"
               r"in omaggio)\b",
               r"\bvoucher\b", r"\bgift card\b"],
        "es": [r"\bvale\b", r"\bcup[oó]n\b", r"\bdescuento\b", r"\bcr[eé]dito\b",
               r"\b(mes|meses|semana|semanas|días) (de servicio )?(gratis|gratuitos?|de regalo)\b",
               r"\btarjeta regalo\b", r"\bc[oó]digo\b"],
        "ru": [r"купон", r"скидк", r"промокод", r"бонус", r"сертификат", r"на (ваш )?(счёт|счет|"
               r"баланс)", r"бесплатн\w* (обслуживани|месяц|дн|недел|доступ)",
               r"(дн|месяц|недел)\w* бесплатн"],
        "zh": [r"优惠券", r"折扣", r"代金券", r"抵用", r"余额", r"优惠码", r"打\S折",
               r"(补偿|赠送|提供|延长)[^，。,；！？\s]{0,6}(服务时长|免费|会员|天|个月)",
               r"免费(使用|会员)", r"\d+ ?(天|个月)[^，。,；！？]{0,2}(会员|服务)(期|时长)?"],
    },
    "exchange": {
        "en": [r"\breplacement\b", r"\bexchange\b", r"\bresend\w*", r"\bre-?ship\w*",
               r"\bsend you (a|the) (new|correct|right)\b", r"\bredo\b", r"\bre-?do\b",
               r"\bredeliver\w*"],
        "it": [r"\bsostitu\w*", r"\bcambio (merce|prodotto|taglia|articolo)\b", r"\brispedi\w*",
               r"\brinvi\w*", r"\bnuov[oa] "
               r"(spedizione|consegna)\b", r"\brifare\b"],
        "es": [r"\breemplaz\w*", r"\bsustitu\w*",
               r"\bcambio (de|del) (producto|talla|art[ií]culo)\b", r"\breenvi\w*",
               r"\bnuevo env[ií]o\b", r"\brehacer\b"],
        "ru": [r"замен", r"обмен", r"отправ\w* (заново|повторно|новый|новую)", r"переделаем"],
        "zh": [r"换货", r"补发", r"重新(发送|发货|寄出|寄)", r"更换", r"换一"],
    },
    "upgrade": {
        # an upgrade given to the customer, not "during the upgrade" of our own systems
        "en": [r"\b(we|I)('ll| will|'ve| have| are)? (\w+ ){0,2}upgrad(e|ed|ing)\b",
               r"\bupgrad(e|ed|ing) (you|your)\b", r"\b(is|are|has been|have been|was) upgraded "
               r"to\b", r"\b(free|complimentary) upgrade\b", r"\bpremium (plan|tier)\b"],
        "it": [r"\bupgrade\b", r"\bpiano premium\b", r"\bpasst?aggio (al|a) premium\b"],
        "es": [r"\bmejora de plan\b", r"\bplan premium\b", r"\bactualiza\w* (a|al) premium\b"],
        "ru": [r"апгрейд", r"премиум", r"повышени\w* тарифа"],
        "zh": [r"(免费|为您|给您|帮您)[^，。；]{0,6}升级", r"升级(为|到|成)", r"高级版"],
    },
}

# A voucher, credit or discount counts as offered only when the sentence gives it ("we've added",
# "te regalamos", "начислили", "发放"): the corrected promo code or a shop's sale is not an offer.
OFFER_CUES: dict[str, list[str]] = {
    "en": [r"\b(we|I)('ve| have| had|'ll| will| are| am)? (also )?(just |now |already )?"
           r"(add|give|credit|appl[yi]|issu|send|sent|offer|includ|extend|waiv|gift|refund|put|"
           r"mak)\w*\b",
           r"\b(have|has) been (added|credited|applied|issued)\b",
           r"\b(as an apology|to make (up|it right|amends)|on us|on the house|free of charge|"
           r"at no (extra )?(cost|charge))\b",
           r"\byou'?ll (get|receive|see|find)\b", r"\b(here'?s|here is|enclosed)\b"],
    "it": [r"\b(abbiamo|ho) (già )?(inviato|aggiunto|accreditato|applicato|regalato|emesso|"
           r"offerto|prolungato|esteso|riconosciuto|caricato)\b",
           r"\b(invieremo|aggiungeremo|accrediteremo|offriamo|regaliamo|riceverai|riceverà|"
           r"riceverete|troverai|troverà)\b", r"\b(per scusarci|in omaggio|a titolo di|come "
           r"(compensazione|risarcimento|scusa)|a nostre spese)\b"],
    "es": [r"\b(hemos|he|te|le|les|os) (ya )?(añadido|regalado|enviado|ofrecido|abonado|"
           r"aplicado|incluido|dado|ampliado|extendido)\b",
           r"\b(regalamos|ofrecemos|enviaremos|añadiremos|abonaremos|aplicaremos|recibirás|"
           r"recibirá|tendrás|tendrá)\b", r"\b(como disculpa|para compensar\w*|de regalo|"
           r"(en|a) (tu|su|vuestra) (cuenta|suscripción))\b"],
    "ru": [r"(начислил|начислим|дарим|подарим|подарок|продлил|продлим|добавил|добавим|"
           r"отправил|отправим|получите|в качестве (компенсаци|извинени)|компенсаци)"],
    "zh": [r"(补偿|赠送|发放|送您|送给|为您|给您|给每|延长|为表歉意|表达歉意|免费|提供|已为)"],
}

# Words that make a voucher or credit explicitly "for later".
DELAYED: dict[str, list[str]] = {
    "en": [r"\bnext (order|purchase|booking|visit)\b", r"\bfuture (order|purchase)s?\b"],
    "it": [r"\bprossim\w* (ordine|acquisto|prenotazione)\b"],
    "es": [r"\bpr[oó]xim\w* (pedido|compra|reserva)\b"],
    "ru": [r"следующ\w* (заказ|покупк)"],
    "zh": [r"下次", r"下一次"],
}

FULL_REFUND: dict[str, list[str]] = {
    "en": [r"\bfull refund\b", r"\brefund\w* (you )?in full\b", r"\brefund\w* (the )?(full|entire|"
           r"whole) (amount|order|price|fee)\b"],
    "it": [r"\brimborso (completo|totale|integrale)\b", r"\brimbors\w* (per intero|l'intero|"
           r"tutto)\b"],
    "es": [r"\breembolso (completo|total|íntegro|integro)\b", r"\breembols\w* (todo|el total|"
           r"íntegramente)\b"],
    "ru": [r"полн\w* (возврат|стоимост|сумм)", r"вернули (все|всю сумму|деньги полностью)",
           r"вернём (все|всю сумму|полностью)"],
    "zh": [r"全额退", r"全部退还"],
}

# Money moved back to the customer: counts as a refund when the same sentence states an amount
# ("We have credited 35.00 USD to your current account", "hoy le hemos transferido 150 EUR",
# "897 RUB сегодня возвращены на ваш счёт", "差价我们已转到您的支付账户"). First person or
# passive only, so "you paid 140 EUR more" or "your outgoing transfer of 1,450 USD" are not offers.
MONEY_BACK: dict[str, list[str]] = {
    "en": [r"\b(we|I)('ve| have| had|'ll| will| are| am)? (also |just |now |already |today )?"
           r"(credit|transferr|wire|wiring|pa(id|y|ying) (you )?back|return|deposit|reimburs|"
           r"refund|sen[dt] back|put back|pa(id|y|ying) you)\w*",
           r"\b(has|have|was|were|will be|is being|are being) (been )?(credited|transferred|wired|"
           r"paid back|returned|deposited|reimbursed|refunded|sent back|paid) (\w+ ){0,2}"
           r"(to|into|on|back)\b",
           r"\b(compensation|reimbursement|refund|goodwill payment|payment) of\b"],
    "it": [r"\b(abbiamo|ho|è stat[oa]|sono stat[ie]) (già |appena |oggi |ora )?(accreditat|"
           r"trasferit|versat|bonificat|restituit|rimborsat|ricaricat)\w*",
           r"\b(accrediteremo|verseremo|trasferiremo|restituiremo|bonificheremo|rimborseremo)\b",
           r"\b(indennizzo|risarcimento|rimborso|accredito|bonifico) (di|da)\b"],
    "es": [r"\b(hemos|he|ha sido|han sido) (ya |hoy )?(acreditad|abonad|transferid|ingresad|"
           r"devuelt|reembolsad|reintegrad)\w*",
           r"\b(acreditamos|abonamos|transferimos|ingresamos|devolvimos|reembolsamos|"
           r"acreditaremos|abonaremos|transferiremos|ingresaremos|devolveremos|reembolsaremos)\b",
           r"\b(indemnización|compensación|reembolso|abono|transferencia) de\b"],
    "ru": [r"(?<!вы )(перевели|переведём|переведем|перечислили|перечислим|зачислили|"
           r"зачислим|начислили|начислим|вернули|вернём|вернем|возместили|возместим|выплатили|выплатим|компенсировали|"
           r"компенсируем)",
           r"(возвращен|возвращён|зачислен|начислен|переведен|переведён|выплачен|возмещен|"
           r"возмещён)\w*", r"(компенсаци|выплат|возмещени)\w* (в размере )?\d"],
    "zh": [r"(已|已经|将|会|我们|为您|给您)[^，。！？；]{0,14}(转入|转到|打到|打入|退到|退回|退还|"
           r"返还|存入|汇入|补偿|赔偿|赔付|到账)"],
}

# Service credit given outright ("a month of Pro free", "Te acreditamos un mes completo del plan",
# "abbiamo accreditato un mese di abbonamento gratuito", "за этот месяц мы не возьмём с вас
# абонентскую плату", "减免电费20元"): a voucher-type offer that needs no separate giving cue.
SERVICE_CREDIT: dict[str, list[str]] = {
    "en": [r"\b(credit(ed|ing)?|add(ed|ing)?|gave|give|giving|extend(ed|ing)?|grant(ed|ing)?|"
           r"comp(ed)?)\b[^.;]{0,30}\b(\d+|one|two|three|four|a|an|a full|one full|an extra|"
           r"an additional) (free )?(day|week|month|year|billing cycle)s?\b",
           r"\b(free|complimentary) (day|week|month|year)s?( of)?\b",
           r"\bservice credits?\b", r"\b(free|complimentary) (service|usage)\b",
           r"\b(day|week|month|year)s? (of (your |the )?(\w+ )?(service|subscription|plan)|free)\b",
           r"\bwaiv(e|ed|ing) (your |the |this |next |that )?(month'?s |monthly |annual |"
           r"subscription |service )*(fee|subscription|charge|bill|payment)s?\b",
           r"\b(won'?t|will not|are not going to|aren'?t going to) (be )?charg(e|ing) (you )?"
           r"(anything )?for (this|next|the (next|current|whole)|that) (month|week|billing|"
           r"period|year)\b"],
    "it": [r"\b(mese|mesi|settiman[ae]|giorn[oi]|anno) ([\w']+ ){0,3}(gratis|gratuit\w*|"
           r"in omaggio|senza costi)\b",
           r"\b(accreditat|aggiunt|regalat|prolungat|estes|offert)\w* ([\w']+ ){0,3}(un|una|due|"
           r"tre|\d+) (mese|mesi|settiman[ae]|giorni)\b",
           r"\bnon (le|ti|vi) (addebiteremo|faremo pagare|chiederemo)\b",
           r"\b(canone|abbonamento) ([\w']+ ){0,2}(gratuit\w*|gratis|azzerat\w*|sospes\w*)\b"],
    "es": [r"\b(acredit|abon|añad|regal|ampli|exten|ofrec)\w* (\w+ ){0,2}(un|una|dos|tres|\d+) "
           r"(mes|meses|semana|semanas|días?|año)\b",
           r"\b(mes|meses|semana|semanas|días?) (completos? )?(gratis|gratuitos?|de regalo|"
           r"sin coste)\b",
           r"\bno (te|le|les|os) (cobraremos|vamos a cobrar)\b"],
    "ru": [r"не (возьм|спиш|будем (брать|списывать))\w*[^.;]{0,25}(абонентск|ежемесячн|плат)",
           r"(продлил|продлим|начислил|начислим|добавил|добавим|подарил|дарим)\w* [^.;]{0,30}"
           r"(месяц|недел|дн[еяй]|подписк)",
           r"(месяц|недел\w*|подписк\w*)[^.;]{0,20}(бесплатно|в подарок)"],
    "zh": [r"(减免|免收|免除|免去|不收取|不再收取)",
           r"(延长|赠送|补偿|增加)[^，。！？]{0,8}(天|个月|周)[^，。！？]{0,4}(服务|会员|使用)?(期|时长)?"],
}

# A sentence that recounts a promise we broke ("our agent promised a call back within 24 hours,
# but ...") is the problem, not a remedy, whatever dates it mentions.
REMEDY_EXCLUDE: dict[str, list[str]] = {
    "en": [r"\b(we|I|you were|our \w+) (had )?(promised|told you|assured you)\b.{0,80}"
           r"\b(but|yet|and then|instead)\b"],
    "it": [r"\b(avevamo|abbiamo|ti avevamo|le avevamo|vi avevamo|aveva|ha) promesso\b.{0,80}"
           r"\b(ma|invece|però)\b"],
    "es": [r"\b(prometimos|habíamos prometido|le prometimos|te prometimos|prometió|había "
           r"prometido)\b.{0,80}\b(pero|sin embargo|en cambio)\b"],
    "ru": [r"обеща\w*.{0,80}(\bно\b|однако|а в итоге)"],
    "zh": [r"(承诺|答应|保证|说好)[^。！？]{0,30}(但|却|可是|结果)"],
}

# --- general constructions, all five languages --------------------------------------------------
# Added after a blind review: each entry is one construction, written out per language, merged
# into the tables above. Kept separate so it is clear which phrasings came from which idea.

_CONSTRUCTIONS: list[tuple[dict[str, dict[str, list[str]]] | dict[str, list[str]], str | None,
                           dict[str, list[str]]]] = [
    # impact: "we understand your dinner arrived late", "it came as a shock", "left your
    # account overdrawn", "comprendiamo il fastidio"
    (STEPS, "impact", {
        "en": [r"\b(we|I) (can )?(fully |completely )?(understand|see|know|appreciate) (that )?"
               r"(your|you)\b", r"\bcame as (a|an) (shock|surprise|blow)\b",
               r"\bleft your (account|card|balance|team|shop|store|site|business|customers)\b",
               r"\boverdrawn\b", r"\byou('d| had) (ordered|planned|booked|bought|paid|arranged|"
               r"set aside)\b"],
        "it": [r"\b(comprend|capi)\w* (bene |anche |perfettamente )?(il|la|lo|l') ?(fastidio|"
               r"disagio|frustrazione|preoccupazione|delusione|rabbia|irritazione|stress)",
               r"\bfastidi", r"\birritant", r"\b(averlo|averla|averli|aver|avere) dovut"],
        "es": [r"\b(entend|comprend)\w* (bien |perfectamente )?(la|el|lo) (molestia|malestar|"
               r"frustraci[oó]n|preocupaci[oó]n|enfado|decepci[oó]n|estr[eé]s)"],
        "ru": [r"(понима\w*|представля\w*) (ваше|вашу|ваш) (недовольств|раздражени|огорчени|"
               r"беспокойств|разочаровани)"],
        "zh": [r"(理解|体谅|明白)(您|你)的(心情|感受|不满|着急|焦虑|失望|心疼|气愤)"],
    }),
    # explanation: "our records show", "the system did not pass the change on", "per un guasto
    # a", "pusimos que ... pero", "мы проверили заказ:", "我们查了一下，", "X has a typo",
    # "the link led to an empty page"
    (STEPS, "explanation", {
        "en": [r"\b(our|the) (records|logs|investigation|review|audit) (show|showed|shows|found|"
               r"revealed|confirmed)\b",
               r"\b(system|server|tool|app|platform|process|script|software|integration|"
               r"scheduler|monitoring)s? (\w+ ){0,2}(did not|didn'?t|failed to|never) \w+",
               r"\b(has|had|contained|contains) (a|an) (typo|error|mistake|misprint)\b",
               r"\b(link|button|url|code) (\w+ ){0,2}(led|pointed|went|linked|took you) to "
               r"(a|an|the) (wrong|empty|blank|broken|old|dead|missing)\b"],
        "it": [r"\bper (un|una|il|la|l') ?(guasto|errore|problema|malfunzionamento|bug|difetto|"
               r"disguido|intoppo)\b",
               r"\b(intoppo|disguido|guasto|problema|errore|malfunzionamento) tecnic\w*",
               r"\b(intoppo|disguido) (nel|nella|nell'|nei|durante)\b",
               r"\bnon (aveva|avevano|ha|hanno) (individuato|rilevato|notato|visto|controllato|"
               r"bloccato|registrato|passato|trasmesso)\b",
               r"\b(abbiamo|ho) (verificato|controllato|ricostruito|esaminato)\s*[:,]",
               r"\b(link|collegamento|codice) (\w+ ){0,2}(portava|rimandava|puntava) a\b"],
        "es": [r"\b(pusimos|escribimos|publicamos|indicamos|anunciamos) (que|por error|mal)\b",
               r"\b(revisamos|comprobamos|analizamos|verificamos) (tu|su|el|la) (reserva|pedido|"
               r"cuenta|caso|incidencia|factura|registro|historial)",
               r"\b(enlace|link|código) (\w+ ){0,2}(llevaba|apuntaba|dirigía|remitía) a\b",
               r"\b(sistema|servidor|aplicación|app|plataforma|proceso|control) (\w+ ){0,2}"
               r"(no (registró|detectó|envió|aplicó|anuló|canceló|bloqueó)|fall[oó])\b"],
        "ru": [r"(ссылк|кнопк|код|промокод)\w* (\w+ ){0,2}(вела|вёл|вел|вело|открывал\w*|"
               r"перенаправлял\w*) на",
               r"(мы )?(проверили|изучили|прослушали|посмотрели|подняли) (заказ|запись|историю|"
               r"журнал|логи|ваш)"],
        "zh": [r"(我们)?(查|核查|核实|了解|调查|检查)了(一下)?[，,:：]",
               r"(没有|没|未)(能)?(及时)?(转告|通知到|告知|处理|上报|发现|检查)",
               r"(链接|按钮)[^，。]{0,6}(指向|跳转到|打开)[^，。]{0,4}(空白|错误|不存在)"],
    }),
    # responsibility in neutral company voice: "Northbridge Bank takes full responsibility",
    # "la responsabilità del ritardo è nostra", "ответственность за это полностью на нас",
    # "мы несём полную ответственность", "这是我们的管理失误", "责任由我们承担"
    (STEPS, "responsibility", {
        "en": [r"(?-i:\b(?!The\b|Our\b|Their\b|Your\b|This\b|That\b)[A-Z][\w&'.-]*"
               r"(?: [A-Z][\w&'.-]*){0,3}) (takes|accepts|bears) (full |complete |total |sole )?"
               r"(responsibility|ownership)\b",
               r"\b(the|our) (company|team|bank|store|shop|firm|business|management) (takes|"
               r"accepts|bears) (full |complete |total )?(responsibility|ownership)\b",
               r"\b(responsibility|fault|blame) for (this|it|that|the [\w-]+) (is|was|lies|rests) "
               r"(entirely |fully |wholly |squarely )?(ours|mine|with us|on us)\b"],
        "it": [r"\bresponsabilità ([\w']+ ){0,5}(è|era|resta|rimane) (interamente |tutta |solo |"
               r"soltanto )?(nostra|mia)\b", r"\b(ce|me) ne (facciamo|faccio) carico\b"],
        "es": [r"\b(la )?responsabilidad (\w+ ){0,4}(es|fue|recae|corresponde) (\w+ )?"
               r"(nuestra|mía|en nosotros|a nosotros)\b"],
        "ru": [r"ответственност\w* (\w+ ){0,3}(лежит |целиком |полностью )*на (нас|мне)\b",
               r"(мы|я) (\w+ )?(несём|несем|несу) (\w+ ){0,2}(полную |всю )?ответственност",
               r"(именно )?(мы|я) (\w+ )?(отвечаем|отвечаю) за\b"],
        "zh": [r"(我们|我方|我行|我司|我公司|本公司|本行|本店)(的|自己的)[^，。！？；,]{0,6}"
               r"(失误|过失|疏忽|疏漏|过错)",
               r"责任(由|归)(我们|我方|我行|我司|本公司|平台)(来)?(承担|负责)",
               r"(完全|都)是(我们|我方|我行|我司)[^，。！？]{0,6}(失误|错|责任|问题)"],
    }),
    # remedy: completed actions without a "we" subject, past-tense "we" forms, follow-ups with
    # a date, and, for a trivial slip, the correction itself ("the working code is SPRING20")
    (STEPS, "remedy", {
        "en": [r"\b(was|were|has been|have been|is now|are now) (\w+ )?(replaced|fixed|repaired|"
               r"restored|refunded|credited|reissued|re-issued|rebooked|corrected|rolled back|"
               r"reversed|resolved|reconnected|reinstated)\b",
               r"\b(the )?(correct|right|working|valid|updated) ([\w%-]+ ){1,5}(is|will be)\b",
               r"\bhere'?s the (correct|right|working|updated|new) \w+", r"\bcorrection\b"],
        "it": [r"\b(è|sono) stat[oaie] (già |ora |subito )?(sostituit|riparat|corrett|ripristinat|"
               r"rimborsat|accreditat|risolt|sistemat|trasmess|riattivat|ricollegat)\w*",
               r"\b(abbiamo|ho) (già |ora |subito )?(anticipato|ricollegato|riparato|potenziato|"
               r"rafforzato|unito|eseguito|rimosso|disattivato|riattivato|formato|raddoppiato)\b",
               r"\b(il|la|l') ?(\w+ )?(corrett[oa]|giust[oa]|valid[oa]|funzionante)"
               r"( [^,.;:]{1,30})? (è|e'|sarà)\b",
               r"\bcorrezione\b", r"\b(la|ti|vi|le) (ricontatteremo|richiameremo|contatteremo)\b"],
        "es": [r"(?<!no )\b(ya )?(ampliamos|configuramos|corregimos|reparamos|sustituimos|"
               r"reemplazamos|restablecimos|devolvimos|reembolsamos|anulamos|renovamos|"
               r"actualizamos|añadimos|instalamos|activamos|desactivamos|bloqueamos|revertimos|"
               r"reprogramamos)\b",
               r"\b(ya|ahora) (está|están) (reparad|corregid|solucionad|resuelt|activ|"
               r"restablecid)\w*",
               r"\bdesde (ahora|hoy|esta semana|este mes)\b",
               r"\b(el|la) (\w+ )?(correct[oa]|válid[oa]|buen[oa])( [^,.;:]{1,30})? (es|será)\b"],
        "ru": [r"(уже )?(исправлен|восстановлен|заменен|заменён|отключен|отключён|устранен|"
               r"устранён|починен|отремонтирован|переоформлен)\w*",
               r"(правильн|верн|корректн|действующ|рабоч)\w* (ссылк|промокод|код|дат|адрес|врем)"],
        "zh": [r"(我们|我)?(已|已经)(将|把|为您|给您|向您|对|给|为)[^，。！？；]{0,20}"
               r"(退|补|转|修复|恢复|更正|加装|安装|增加|调整|升级|更换|处理|发放|延长)",
               r"(更换|修复|恢复|退还|补发|调整|升级|加装|更新|修正)了",
               r"已(经)?(全部)?(更换|修复|处理|调整|更新|修正|升级|更正)",
               r"恢复(供电|服务|正常|使用|访问)",
               r"将于[^，。！？]{0,15}(施工|完成|上线|更换|发布|恢复|送达|处理)",
               r"(我们|我)?(会|将)[^，。！？]{0,15}(通知|联系|告知|回复|打电话|致电|回访|确认)(您|你)",
               r"已列入[^，。！？]{0,8}(计划|日程)",
               r"正确的[^，。！？]{0,6}(是|为)", r"(时间|日期|地点)(不变|照旧)"],
    }),
    # trivializing: "most of our customers didn't even notice", "fue una incidencia menor"
    (TRIVIALIZING, None, {
        "en": [r"\b(didn'?t|did not|never) even notice\b",
               r"\bmost (of )?(our |the )?(customers|users|clients)\b.{0,40}\b(didn'?t|did not|"
               r"never|weren'?t|were not)\b",
               r"\b(was|is|it'?s|this was|that was) (only |just |really )?(a )?(minor|small|tiny) "
               r"(incident|issue|problem|outage|glitch|blip|hiccup|thing)\b"],
        "it": [r"\b(la )?(maggior parte|maggioranza) (dei|degli|delle) (nostri |nostre )?"
               r"(clienti|utenti)\b.{0,40}\b(non|neanche|nemmeno|neppure)\b",
               r"\b(è stat[oa]|era|si è trattato di) (solo |soltanto )?(un|una) (incidente|"
               r"problema|inconveniente|disguido|guasto) (minore|lieve|piccolo|da poco|"
               r"marginale)\b"],
        "es": [r"\bla mayoría de (los |nuestros |nuestras )?(clientes|usuarios)\b.{0,30}"
               r"\b(no|ni)\b", r"\bni (siquiera )?se (dieron|dio|han dado) cuenta\b",
               r"\b(fue|es|ha sido|se trató de) (solo |sólo |apenas )?(una|un) (incidencia|"
               r"incidente|problema|fallo|error) (menor|leve|sin importancia)\b"],
        "ru": [r"большинство (наших |из наших )?(клиентов|пользователей|покупателей) (даже )?"
               r"(не|ничего)", r"(клиент|пользовател|покупател)\w* (даже )?не заметил",
               r"(незначительн|мелк|небольш)\w* (инцидент|происшестви)"],
        "zh": [r"大(多数|部分)(的)?(用户|客户|顾客)(甚至|根本)(都)?(没有|没|不会|并未)",
               r"(轻微|小)的?(事故|事件)"],
    }),
    # blame: "the delay is exclusively their responsibility; we did our part"
    (BLAME_STRONG, None, {
        "en": [r"\b(responsibility|fault|blame) (for (this|the \w+) )?(is|was|lies|rests) "
               r"(entirely |solely |fully |squarely )?(theirs|with them|with the (courier|carrier|"
               r"vendor|supplier|partner|airline|hotel|bank))\b",
               r"\bwe (did|had done|have done) (our|everything on our) (part|side|end)\b"],
        "it": [r"\b(responsabilità|colpa) ([\w']+ ){0,3}(è|era) (interamente |esclusivamente |"
               r"solo )?(loro|del corriere|del fornitore|della banca|del vettore)\b",
               r"\b(noi )?abbiamo fatto (la nostra parte|tutto (il )?(possibile|quanto dovuto))\b"],
        "es": [r"\b(culpa|responsabilidad) (es |fue )?(exclusiva(mente)?|únicamente|totalmente|"
               r"enteramente|solamente) (suya|de ell[oa]s|del? (la )?\w+)",
               r"\b(la )?(culpa|responsabilidad) (es|fue) (exclusivamente |únicamente |"
               r"totalmente )?(de ellos|del (proveedor|transportista|mensajero|banco|repartidor)|"
               r"de la (empresa|aerolínea|mensajería|transportista|agencia))\b",
               r"\b(nosotros )?(cumplimos|hicimos) (con )?(nuestra parte|todo lo que (nos "
               r"correspondía|debíamos))\b"],
        "ru": [r"ответственност\w* (\w+ ){0,2}(лежит |целиком |полностью )*на (них|"
               r"перевозчик\w*|курьер\w*|поставщик\w*|партн[её]р\w*|служб\w* доставки)",
               r"(свою часть|свои обязательства) (работы )?(мы )?выполнил"],
        "zh": [r"责任(完全)?在(对方|快递|物流|商家|供应商|第三方|合作方)",
               r"(我们|我方)(这边)?(已经)?(做到了|尽到了)(自己的|我们的)?(责任|义务|本分)"],
    }),
    # compensation type words that were missing: "un indennizzo", service credit and fee waivers
    (OFFER_TYPES["refund"], None, {
        "it": [r"\b(indennizz|risarc)\w*"], "es": [r"\b(indemniz)\w*"],
        "ru": [r"возвращ\w*"], "zh": [r"赔偿"],
    }),
    (OFFER_CUES, None, {
        "es": [r"\b(acreditamos|acreditaremos|(le|te|les) (hemos )?acreditado)\b"],
        "it": [r"\b(le|ti|vi) (abbiamo|ho) (già )?(accreditato|aggiunto|regalato)\b"],
        "ru": [r"(зачислил|зачислим|перевели|переведём|переведем)"],
        "zh": [r"(已|已经)(为|给|向)(您|你)"],
    }),
]


# --- round 3: constructions from a second blind review ------------------------------------------
# Each entry is one way people say a thing, written out in every language where it exists.

_ROUND3: list[tuple[dict[str, dict[str, list[str]]] | dict[str, list[str]], str | None,
                    dict[str, list[str]]]] = [
    # explanation, "the X was set/connected/queued to the old/wrong/two Y": a thing configured
    # wrongly, said in the passive. Narrative: counts only outside the apology sentence.
    (EXPLANATION_WEAK, None, {
        "en": [r"\b(was|were|had been|got) (still |accidentally |mistakenly )?(connected|"
               r"configured|set( up)?|pointed|routed|linked|mapped|assigned|synced|scheduled|"
               r"queued|listed|entered|loaded|labell?ed|priced|stored|filed|printed|tagged|"
               r"registered|forwarded|redirected) (\w+ ){0,3}(to|in|at|with|for|on|as|under|into) "
               r"(an? |the |our )?(old|wrong|previous|outdated|expired|test|duplicate|incorrect|"
               r"former|different|second|two|both)\b",
               r"\bmis-?(set|typed|keyed|entered|read|heard|labell?ed|routed|filed|configured|"
               r"counted|priced|calculated|applied|spelled|dialled|dialed|sorted|scanned)\b"],
        "it": [r"\b(era|erano|è stat[oa]|sono stat[ie]) (ancora )?(collegat|configurat|impostat|"
               r"associat|indirizzat|programmat|registrat|inserit|caricat|etichettat|assegnat)\w* "
               r"([\w']+ ){0,3}(a|al|alla|all'|ai|su|sul|sulla|in|nel|nella|con) ([\w']+ )?"
               r"(vecchi|sbagliat|errat|precedent|divers|doppi|due)\w*"],
        "es": [r"\b(estaba|estaban|fue|fueron|había sido|quedó|quedaron) (todavía |aún )?"
               r"(conectad|configurad|programad|asignad|vinculad|registrad|introducid|cargad|"
               r"etiquetad|dirigid)\w* (\w+ ){0,3}(a|al|en|con|para) (un |una |el |la )?(\w+ )?"
               r"(antigu|viej|equivocad|incorrect|anterior|distint|dos)\w*"],
        "ru": [r"(был|была|было|были) (ещё |еще |всё ещё |по-прежнему )?(привязан|настроен|"
               r"подключ[её]н|направлен|записан|назначен|указан|внес[её]н)\w* (\w+ ){0,3}"
               r"(на|в|к|с) (стар|неверн|неправильн|прежн|друг|чуж|два|две)\w*"],
        "zh": [r"(被|还|仍)?(绑定|连接|设置|配置|关联|指向|分配|录入|归)到?了?[^，。]{0,8}"
               r"(旧的|错误的|另一|之前的|原来的|两个)"],
    }),
    # explanation, a person on the team did the wrong thing: "the colleague who prepared the
    # order took the wrong one", "a technician mis-set", "диспетчер перенёс ..., но не отправил".
    # Narrative: counts only outside the apology sentence ("sorry our courier left it ...").
    (EXPLANATION_WEAK, None, {
        "en": [r"\b(technician|engineer|agent|colleague|driver|courier|picker|packer|pharmacist|"
               r"operator|dispatcher|employee|staff member|cashier|clerk|developer|administrator|"
               r"admin|installer|florist|chef|baker|receptionist|planner|editor)s? (who \w+ "
               r"(\w+ ){0,4})?(\w+ )?(entered|typed|picked|chose|selected|forgot|skipped|left|set|"
               r"assigned|moved|deleted|swapped|confused|mixed up|grabbed|scanned|copied|pasted|"
               r"used|printed|wrote|labell?ed|booked|routed|misread|overlooked|missed|sent|"
               r"marked|updated|changed|closed|cancell?ed|forwarded)\b"],
        "it": [r"\b(collega|tecnico|operatore|addetto|addetta|corriere|magazziniere|farmacista|"
               r"autista|dipendente|cassiere|cassiera|impiegat[oa]|sviluppatore|installatore|"
               r"fiorista|receptionist|redattore|redattrice)\b.{0,60}\b(ha|aveva|hanno|avevano) "
               r"(\w+ )?\w+(at|ut|it)[oaie]\b",
               r"\b(ha|hanno|aveva|avevano|abbiamo|ho) (preso|scelto|messo|inserito|spedito|letto|"
               r"usato|caricato|inviato|applicato|consegnato|prenotato|impostato|selezionato|"
               r"stampato|etichettato|assegnato) ([\w']+ ){0,3}(sbagliat|errat)\w*"],
        "es": [r"\b(técnic|emplead|compañer|operari|repartidor|mensajer|farmacéutic|conductor|"
               r"cajer|dependient|recepcionista|programador|instalador|florist|redactor)\w*\b.{0,60}"
               r"\b(introdujo|puso|hizo|\w+ó)\b"],
        "ru": [r"(сотрудник|оператор|диспетчер|курьер|фармацевт|техник|мастер|менеджер|кассир|"
               r"водитель|специалист|администратор|программист|монтажник|флорист|редактор|"
               r"кладовщик|сборщик)\w* (\w+ ){0,5}(не )?\w+(ал|ил|ел|ял|ул|ёс|ес)\b|"
               r"(сотрудник|оператор|диспетчер|курьер|фармацевт|техник|мастер|менеджер|кассир|"
               r"водитель|специалист|администратор)\w* (\w+ ){0,5}(перепутал|перен[её]с|забыл|"
               r"не отправил|не передал|не указал|не внес|не внёс|указал|ввёл|ввел|внёс|внес|"
               r"выбрал|положил|записал|пропустил|ошибся|удалил|отправил|взял|поставил|назначил)"],
        "zh": [r"(工作人员|同事|员工|客服|快递员|配送员|师傅|技术人员|技术员|店员|药剂师|操作员|"
               r"调度员|编辑|运营)[^，。]{0,12}(把|将|误|错|忘|漏|弄|归到|放到|写成|选成)"],
    }),
    # explanation, "during/while doing the update": the moment the failure came from
    (STEPS, "explanation", {
        "en": [r"\b(during|while (doing|running|rolling out|applying|installing)|in the course "
               r"of) (a |an |the |our |last \w+'?s? )?([\w-]+ ){0,2}(update|upgrade|migration|"
               r"maintenance|deploy\w*|release|rollout|switch-?over|changeover|transition|"
               r"restart|reboot|move|redesign|import|sync)\b"],
        "it": [r"\b(durante|mentre|nel corso d\w+|in fase di) ([\w']+ ){0,2}(aggiornament|"
               r"migrazion|manutenzion|rilasci|passaggi|riavvi|trasloc|inventari|installazion|"
               r"sincronizzazion|import|preparazion|redazion|modific)\w*"],
        "es": [r"\b(durante|en) (el|la|los|las|nuestr[oa]) (\w+ ){0,2}(actualizaci[oó]n|"
               r"migraci[oó]n|mantenimiento|cambio|traslado|reinicio|instalaci[oó]n|"
               r"sincronizaci[oó]n|importaci[oó]n|preparaci[oó]n|mudanza)\b",
               r"\b(al|tras) (redactar|actualizar|migrar|cambiar|preparar|procesar|configurar|"
               r"instalar|cargar|introducir|copiar|importar|detectar(se)?|reiniciar|aplicar|"
               r"programar|mover|trasladar|sincronizar|editar|montar|empaquetar)\b"],
        "ru": [r"(во время|в ходе|в процессе|при) (\w+ )?(обновлени|миграци|перенос|сборк|"
               r"настройк|переезд|обработк|переход|перезагрузк|профилактик|техработ|"
               r"техническ\w* работ|установк|синхронизаци|редактировани|подготовк)\w* "
               r"(\w+ ){0,6}\w+(ли|ла|ло|л|лся|лась|лось|лись)\b",
               r"(мы )?(обновляли|переносили|настраивали|переезжали|меняли|устанавливали) "],
        "zh": [r"(升级|更新|维护|迁移|切换|改版|调整|检修|施工|搬迁|编辑|录入|扫描|分拣|打包)"
               r"(后|时|期间|过程中|的时候)(?!的)", r"在[^，。]{1,12}(时|过程中|期间|的时候)[，,]?"
               r"[^，。]{0,6}(没有|没|未|把|将|误|错|漏|忘|出现|导致)"],
    }),
    # explanation, done "without checking/asking": the step that was skipped
    (STEPS, "explanation", {
        "en": [r"\bwithout (first )?(checking|asking|verifying|confirming|updating|waiting|"
               r"testing|telling|notifying|getting|double-checking)\b"],
        "it": [r"\bsenza (prima )?(controllare|verificare|chiedere|avvisare|aggiornare|aspettare|"
               r"confermare|testare|richiedere)\b"],
        "es": [r"\bsin (antes )?(pedir|comprobar|revisar|verificar|avisar|confirmar|esperar|"
               r"probar|consultar)\b",
               r"\bsegu[ií]a(n)? (\w+ )?(bloquead|activ|abiert|reservad|asignad|configurad|"
               r"conectad|vinculad|marcad|pendiente)\w*",
               r"\bno (lo |la |los |las )?\w+(amos|imos) a tiempo\b"],
        "ru": [r"не (проверив|дождавшись|предупредив|обновив|спросив|уточнив|дожидаясь|"
               r"проверяя|сверив)"],
        "zh": [r"(没有|没|未)(经|先)?(确认|核对|检查|通知|验证|测试)(就|便)"],
    }),
    # explanation, something broke by itself: "the air conditioning broke down",
    # "se averió", "si è guastato", "вышел из строя", "dejó de funcionar"
    (STEPS, "explanation", {
        "en": [r"\b(broke down|stopped working|gave out|caught fire|flooded|short-circuited|"
               r"lost power|overheated|ran out of)\b"],
        "it": [r"\bsi (è|e'|era|sono|erano) (rott|guast|bloccat|spent|interrott|fermat|allagat|"
               r"danneggiat|incepp|sconness|scaricat|surriscaldat|attivat|disattivat)\w*",
               r"\b(ha|hanno|aveva) smesso di (funzionare|rispondere|inviare|sincronizzare)\b"],
        "es": [r"\bse (averi[oó]|rompi[oó]|estrope[oó]|cay[oó]|colg[oó]|bloque[oó]|inund[oó]|"
               r"quem[oó]|cort[oó]|apag[oó]|desconfigur[oó]|sobrecarg[oó]|satur[oó]|activ[oó]|"
               r"desactiv[oó]|reinici[oó]|confundi[oó]|mezcl[oó]|traspapel[oó]|borr[oó])\b",
               r"\bdej[oó] de (funcionar|responder|enviar|sincronizar|cobrar|funcionar)\b"],
        "ru": [r"(вышел|вышла|вышло|вышли) из строя", r"(сломал|отключил|перегрел|завис|"
               r"перезагрузил|обесточил)(ся|ась|ось|ись)", r"перестал\w* (работать|отвечать)"],
        "zh": [r"(突然|意外)?(坏了|出现故障|发生故障|停止(工作|运行)|断电|跳闸|死机|崩溃)"],
    }),
    # explanation, causal connectives and "it turned out", in every language
    (STEPS, "explanation", {
        "en": [r"\b(which (caused|led to)|this (caused|led to)|resulting in|it turned out|"
               r"the culprit)\b"],
        "it": [r"\b(il che|cosa che) (ha )?(causato|provocato|comportato|fatto sì)\b",
               r"\bper questo motivo\b", r"\b(si è scoperto|è emerso) che\b",
               r"\bsenza che ([\w']+ ){0,4}(se ne )?(accorgess|notass|rilevass|bloccass|"
               r"intercettass)\w*"],
        "es": [r"\b(result[oó] que|resulta que|lo que (provoc[oó]|caus[oó]|hizo que|supuso)|"
               r"por ese motivo)\b",
               r"\bpor (el|nuestro|la|nuestra) (sistema|servidor|proceso|programa|algoritmo|"
               r"filtro|control|aplicaci[oó]n|plataforma)\b",
               r"\bpor (un|una) (aver[ií]a|problema|corte|ca[ií]da|incidencia|fallo|error|"
               r"descuido|cambio|actualizaci[oó]n|saturaci[oó]n|sobrecarga|confusi[oó]n) (en|de|"
               r"del|con|al|durante)\b",
               r"\b(omitimos|olvidamos|confundimos|mezclamos|borramos|introdujimos|saltamos|"
               r"pasamos por alto|no actualizamos|no avisamos|no comprobamos)\b"],
        "ru": [r"потому,\s*что", r"(так|вот так) (получилось|вышло)", r"получилось так",
               r"мы не (запрашивали|проверяли|обновили|обновляли|предупредили|учли|учитывали|"
               r"передали|сохранили|синхронизировали|настроили)"],
        "zh": [r"(具体)?(情况|经过)(是|如下)", r"所致", r"(引起|引发)的",
               r"(没有|没|未)(能)?(及时)?(同步|更新|保存|录入|备份|传递|对接|同步到)"],
    }),
    # responsibility: "a glitch on our side", "no la hicimos bien", "наше упущение"
    (STEPS, "responsibility", {
        "en": [r"\b(glitch|error|mistake|problem|issue|fault|slip|bug)( was| is)? (on|at) our "
               r"(side|end)\b",
               r"\b(we|I) (didn'?t|did not) (do|handle) (it|this|that|our job) (well|right|"
               r"properly)\b"],
        "it": [r"\bnon (l'|lo |la )?(abbiamo|ho) (fatto|gestit\w*) bene\b",
               r"\b(errore|problema|disguido|svista) (\w+ )?da parte nostra\b"],
        "es": [r"\bno (lo |la |los |las )?(hicimos|hemos hecho|gestionamos) bien\b",
               r"\b(lo )?hicimos mal\b", r"\b(error|fallo|problema) (\w+ )?de nuestra parte\b"],
        "ru": [r"наш\w* (упущени|оплошност|просч[её]т|недоработк|халатност|недоч[её]т|косяк)",
               r"(ошибка|вина|проблема) (\w+ )?на нашей стороне"],
        "zh": [r"(问题|错误|失误|责任)(出)?在我们(这边|这里|身上)"],
    }),
    # regret: "просим прощения" is the everyday Russian apology
    (STEPS, "regret", {"ru": [r"(прош\w*|просим) (\w+ )?прощени"]}),
    # impact: having to ("dovendo"), what the customer had wanted, burdens
    (STEPS, "impact", {
        "it": [r"\bdovendo\b", r"\b(avrebbe|avresti|avreste|avrebbero) voluto\b"],
        "es": [r"\b(hubiera|hubiese|habría) (querido|preferido)\b"],
        "en": [r"\b(is|was) not how you (wanted|planned|hoped|expected)\b"],
        "zh": [r"(负担|奔波|折腾|疲惫|一次次|来回跑)",
               r"(给|让)(您|你)[^，。]{0,6}(增加|添)了"],
    }),
    # remedy: third-person futures, deadlines today, completed changes without "мы"
    (STEPS, "remedy", {
        "ru": [r"\b(привез[её]т|заберёт|заберет|доставит|пришлёт|пришлет|вернёт|вернет|заменит|"
               r"исправит|позвонит|перезвонит)\b",
               r"(сегодня|завтра) (до|к|в|после) \d{1,2}[:.]\d{2}",
               r"(?<!не )\b(добавили|внедрили|ввели|настроили|установили|развели|разнесли|"
               r"перенастроили|усилили|наладили|автоматизировали|обучили)\b"],
        "es": [r"\b(ya|actualmente|de nuevo|ahora) (\w+ )?(está|están|se encuentra|se encuentran|"
               r"funciona|funcionan|vuelve a estar) (\w+ )?(operativ|activ|disponible|normal|"
               r"desbloquead|reparad|abiert)\w*",
               r"\b(desbloqueo|reembolso|devoluci[oó]n|reparaci[oó]n|correcci[oó]n|sustituci[oó]n|"
               r"reposici[oó]n) (\w+ ){0,3}se (realiz[oó]|hizo|complet[oó]|tramit[oó]|efectu[oó])"
               r"\b",
               r"\bse (resolvi[oó]|solucion[oó]|restableci[oó]|repar[oó]|corrigi[oó]|"
               r"desbloque[oó]|reactiv[oó])\b"],
    }),
    # remedy for a trivial slip: the correction stated against what was written
    (STEPS, "remedy", {
        "en": [r"\bnot [^,.;]{1,40},? as (we|it was|previously) (wrote|said|stated|announced|"
               r"listed|printed|written|had it)\b"],
        "it": [r"\bnon [^,.;]{1,40},? come (avevamo|abbiamo|era stato|è stato|c'era) (scritto|"
               r"indicato|comunicato|annunciato|riportato|stampato)\b"],
        "es": [r"\bno [^,.;]{1,40},? como (hab[ií]amos|hemos|se hab[ií]a|se ha) (escrito|"
               r"indicado|puesto|anunciado|publicado|dicho)\b",
               r"\bno [^,.;]{1,40},? como (pusimos|indicamos|escribimos|dijimos|anunciamos)\b"],
        "ru": [r"а не [^,.;]{1,40},? как (мы )?(ошибочно )?(написали|указали|было указано|"
               r"сообщили|было написано)"],
        "zh": [r"(而不是|而非)[^，。]{1,20}(写的|通知的|公布的|标注的)"],
    }),
    # non-apology, Chinese formulas that ask for understanding instead of apologising
    (NON_APOLOGY, None, {
        "zh": [r"(带来|造成)(了)?(的)?(任何)?(不便|麻烦|困扰)[^。！？]{0,4}(敬请|请|望|还请)(您)?"
               r"(谅解|见谅|包涵)",
               r"不便之处[^。！？]{0,4}(敬请|请|望|还请)?(您)?(谅解|见谅|包涵|多多包涵)",
               r"(带来|造成)(了)?(的)?不便[，,]?(我们)?(深表|表示|致以)(歉意|抱歉)"],
    }),
    # trivializing: "most of the <anyone> didn't even notice", "hardly anyone noticed"
    (TRIVIALIZING, None, {
        "en": [r"\bmost (of )?(\w+ ){0,3}(didn'?t|did not|never|barely|hardly|won'?t) (even )?"
               r"(notic|realis|realiz|see|feel|spot)\w*",
               r"\b(hardly|barely) anyone (noticed|was affected)\b",
               r"\b(almost )?no ?one (even )?noticed\b", r"\bnot (such )?a big deal\b"],
        "it": [r"\b(la )?(maggior parte|maggioranza|quasi tutti)( de\w*)? ([\w']+ ){0,3}"
               r"(non|neanche|nemmeno|neppure) (se ne )?(sono accort|è accort|hanno notato|"
               r"ha notato|si sono accort|ha avuto problemi|hanno avuto problemi)",
               r"\b(quasi )?nessuno (se n'è|se ne è|se ne sono|ha|l'ha) (accort|notat)\w*"],
        "es": [r"\b(la )?(gran )?mayor[ií]a( de [\w ]{1,30})? (ni|no) (siquiera )?(lo |se |le )?"
               r"(not|dieron cuenta|dio cuenta|percat|enter|vieron afectad|tuvieron problemas)\w*",
               r"\b(casi )?nadie (se dio cuenta|lo not[oó]|not[oó]|se enter[oó])\b",
               r"\bno (fue|es|ha sido) (para tanto|nada grave|gran cosa)\b",
               r"\b(solo|sólo|apenas) (fue|fueron|dur[oó]|duraron|afect[oó] a) (unos|unas|un par|"
               r"pocos|pocas|una minor[ií]a)\b",
               r"\bun simple (error|fallo|retraso|despiste|contratiempo)\b",
               r"\b(hora|momento|franja) de (poco|bajo|menor) (tr[aá]fico|uso|actividad)\b"],
        "ru": [r"большинство (\w+ ){0,3}(даже )?(не|ничего не) (заметил|почувствовал|обратил)",
               r"(почти )?никто (даже )?не заметил"],
        "zh": [r"(大多数|大部分|绝大多数)[^，。]{0,10}(甚至|根本)?(都)?(没有|没|未|不会)"
               r"(察觉|注意到|发现|感觉到|受到影响)", r"(几乎)?没有人(注意到|察觉|发现)"],
    }),
    # blame: "solely due to our courier", "we prepared it on time, but they ..."
    (BLAME_STRONG, None, {
        "en": [r"\b(entirely|solely|only|purely|wholly|exclusively) (due to|because of|down to|"
               r"caused by|the fault of) (?!(a |an )?(mistake|error|bug|oversight) (of ours|on our)"
               r"|(our|my) (own )?(mistake|error|team|system|staff|fault))",
               r"\b(on time|correctly|as agreed|as promised),? (but|however) (they|the (courier|"
               r"carrier|vendor|supplier|partner|bank|airline|hotel|agency))\b"],
        "it": [r"\b(è|era) dovut[oa] (esclusivamente|unicamente|solo|soltanto|interamente) "
               r"a(l|lla|i|gli|ll')? ?(?!(un |uno )?(nostro|nostra|mio|mia) )",
               r"\b(in tempo|correttamente|come concordato),? (ma|però) (loro|il corriere|il "
               r"fornitore|la banca|il vettore|la compagnia)\b"],
        "es": [r"\bse deb(e|i[oó]|[ií]a) (exclusivamente|[uú]nicamente|solamente|solo|s[oó]lo|"
               r"enteramente|totalmente|por completo) a\b(?! (un |una )?(error|fallo|descuido) "
               r"(nuestr|m[ií]o)| (nuestr[oa]s? (propi[oa]s? )?(error|fallo|culpa|descuido|"
               r"equipo|sistema|personal)|nosotros|m[ií] ))",
               r"\b(a tiempo|correctamente|en plazo|como acordamos),? (pero|sin embargo) (ellos|"
               r"ellas|(el|la|los|las) (\w+ )?(transportista|empresa|proveedor|banco|aerol[ií]nea|"
               r"mensajer\w*|agencia|fabricante|operador|distribuidor|hotel|socio)s?)\b"],
        "ru": [r"(исключительно|целиком|полностью|только) (из-за|по вине) (?!нас|наш|мо|меня)",
               r"(вовремя|правильно|в срок),? (но|однако|а) (они|курьер|перевозчик|поставщик|"
               r"банк|служба|партн[её]р)"],
        "zh": [r"完全(是)?(由于|因为)(?!我们|我方|我的|我)",
               r"我们[^。]{0,20}(按时|及时|准时|正常)[^。]{0,20}(但|可是|然而)(是)?(他们|对方|"
               r"快递|物流|供应商|银行)"],
    }),
    (BLAME_WEAK, None, {
        "es": [r"\bellos no (cumplieron|recogieron|entregaron|llegaron|avisaron|enviaron)\b"],
        "en": [r"\bthey (didn'?t|did not|failed to|never) (pick|deliver|show|arrive|send|"
               r"collect|ship|honou?r)\w*"],
    }),
    # compensation: gifts counted in points, coins, gems or free items ("100钻石",
    # "пять бесплатных доставок", "500 bonus points")
    (OFFER_TYPES["voucher"], None, {
        "en": [r"\b\d+ (bonus |loyalty |reward )?(points|coins|gems|tokens|diamonds|miles)\b"],
        "it": [r"\b\d+ (punti|gemme|monete|diamanti|miglia)\b"],
        "es": [r"\b\d+ (puntos|gemas|monedas|diamantes|millas)\b"],
        "ru": [r"\d+ (балл|монет|кристалл|алмаз|мил)\w*"],
        "zh": [r"\d+ ?(钻石|金币|积分|点券|元宝|代币|宝石)", r"礼包",
               r"(发放|赠送)[^，。]{0,12}补偿"],
    }),
    (SERVICE_CREDIT, None, {
        "en": [r"\b(\d+|two|three|four|five|six|ten) (free|complimentary) (deliver|ride|lesson|"
               r"session|class|night|wash|visit|shipment|consultation)\w*"],
        "it": [r"\b(\d+|due|tre|quattro|cinque|sei|dieci) (consegne|corse|lezioni|sessioni|"
               r"notti|visite|spedizioni) (gratuit\w*|gratis|in omaggio)"],
        "es": [r"\b(\d+|dos|tres|cuatro|cinco|seis|diez) (entregas|env[ií]os|viajes|clases|"
               r"sesiones|noches|visitas) (gratis|gratuit\w*)"],
        "ru": [r"(\d+|дв|тр|четыр|пят|шест|сем|десят)\w* бесплатн\w* (достав|поезд|заняти|"
               r"урок|сеанс|консультац|ноч|визит)",
               r"(недел|месяц|дн)\w* (бесплатн\w* )?(подписк|обслуживани|доступ|использовани)"],
        "zh": [r"(\d+|两|三|五|十)(次|单)免费(配送|送货|课|服务)"],
    }),
    (OFFER_CUES, None, {
        "en": [r"\bas (compensation|a gesture)\b"],
        "es": [r"\b(como|en) (compensaci[oó]n|muestra de disculpa|gesto)\b",
               r"\b(tienes|tiene|tendr[aá]s?) (un|una|\d)"],
        "zh": [r"作为补偿"],
    }),
]

# A sentence about what happens from now on ("今后遇到换机型的情况，…无法安排时会…") describes
# prevention, not what the failure did to this customer: it never counts as impact.
FORWARD_POLICY: dict[str, list[str]] = {
    "en": [r"^(going forward|from now on|in (the )?future|from today)\b"],
    "it": [r"^(d'ora in (poi|avanti)|in futuro|da oggi( in poi)?)\b"],
    "es": [r"^(a partir de (ahora|hoy)|de ahora en adelante|en (el )?futuro|desde (ahora|hoy))\b"],
    "ru": [r"^(впредь|в будущем|отныне|теперь)\b"],
    "zh": [r"^(今后|以后|将来|未来|从今以后|从现在起)"],
}


# Round 4: constructions rather than phrases. Blame as the mirror of ownership (the fault placed
# on "their side" or made "the user's responsibility"); a conditional that opens the apology
# sentence and is about the reader; "happier than before" with words in between.
_ROUND4: list[tuple[dict[str, dict[str, list[str]]] | dict[str, list[str]], str | None,
                    dict[str, list[str]]]] = [
    (BLAME_STRONG, None, {
        "en": [r"\bon (their|the (vendor|supplier|manufacturer|courier|partner)'?s?) (side|end)\b",
               r"\b(the )?(user|customer|client|account holder)'?s? responsibility\b"],
        "it": [r"\b(da parte|dalla parte) (loro|del (fornitore|produttore|corriere|partner))\b",
               r"\bresponsabilità (dell'utente|del cliente|del titolare)\b"],
        "es": [r"\b(por|de) (su parte|parte (del|de la) (proveedor|fabricante|transportista|"
               r"empresa de mensajer[ií]a))\b.{0,40}\b(no (de la )?nuestr|error|fallo|culpa)",
               r"\bresponsabilidad del (usuario|cliente|titular)\b"],
        "ru": [r"с (их|его) стороны", r"(ответственност|обязанност)\w* (пользовател|клиент)"],
        "zh": [r"(他们|对方|供应商|厂家|快递公司)(那边|方面)?的(问题|责任|失误|错)",
               r"(是|属于)(用户|客户|您)(自己)?的责任"],
    }),
    (CONDITIONAL_CLAUSE, None, {
        "en": [r"^(if|in case|should) (you|your|this|it)\b.{0,80}\b(sorry|apolog)"],
        "it": [r"^(se|qualora|nel caso in cui) .{0,80}\b(ci scusiamo|mi scuso|scusa|dispiace)"],
        "es": [r"^(si|en caso de que) .{0,80}\b(disculp|lo sentimos|lo siento|perd[oó]n)"],
        "ru": [r"^если\b.{0,80}(извин|прост(ите|и)\b|сожале)"],
        "zh": [r"^(如果|若|假如|要是)[^。！？]{0,30}(抱歉|道歉|致歉|歉意|对不起)"],
    }),
    (HAPPIER_PROMISE, None, {
        "en": [r"\b(happier|more (satisfied|delighted|pleased|loyal|content))\b.{0,50}"
               r"\bthan (before|ever|you were)\b"],
        "it": [r"\bpiù (soddisfatt|content|felic|fedel)\w*\b.{0,50}\b(di|che) (prima|mai)\b"],
        "es": [r"\bmás (satisfech|content|feliz|felices|fiel)\w*\b.{0,50}\bque (antes|nunca)\b"],
        "ru": [r"(довольн|счастлив|лояльн)\w*.{0,50}чем (раньше|прежде|до)"],
        "zh": [r"比[^，。]{0,8}(以前|之前|过去|原来|出事前)[^，。]{0,4}"
               r"更(满意|开心|满足|喜欢|高兴|信任)"],
    }),
]


def _merge(rounds: list[tuple[Any, str | None, dict[str, list[str]]]]) -> None:
    for table, key, additions in rounds:
        target = table[key] if key is not None else table  # type: ignore[index]
        for lang, patterns in additions.items():
            target.setdefault(lang, []).extend(p for p in patterns if p not in target[lang])


_merge([*_CONSTRUCTIONS, *_ROUND3, *_ROUND4])


# --- incidents --------------------------------------------------------------------------------

# Incident or draft words that mean harm too serious for jokes when no severity is given.
SERIOUS_HARM: list[str] = [
    r"\b(data (loss|breach)|security|breach|unauthori[sz]ed|charged twice|double charged|"
    r"overcharged|outage|lost (data|money|files)|deleted)\b",
    r"\b(violazione|accesso non autorizzato|addebitat\w* due volte|dati persi)\b",
    r"\b(brecha|acceso no autorizado|cobrad\w* dos veces|datos perdidos)\b",
    r"(утечк|несанкционирован|списал\w* дважды|потер\w* данн)",
    r"(数据泄露|未经授权|重复扣款|数据丢失|扣了两次)",
]

PLACEHOLDERS: list[str] = [  # matched case-sensitively: "TODO" yes, Spanish "todo" no
    r"\[\[[^\]]*\]\]", r"\{\{[^}]*\}\}", r"\{[^\W\d][\w ]{0,30}\}",
    r"<(?!/?(?:br|p|b|i|a|div|span|strong|em|ul|li|ol)\b)[^\W\d][\w ]{0,30}>",
    r"\b(TODO|TBD|XXX+|FIXME|INSERT|PLACEHOLDER)\b",
    r"\[(?:EMAIL|PHONE|IBAN|CARD|ACCOUNT|ADDRESS|NAME)_\d+\]",  # a redaction placeholder left over
    r"(?i:\[[^\]\n]{0,40}\b(?:name|date|amount|link|insert|customer|company|order|number|"
    r"time|product|nome|data|importo|cliente|nombre|fecha|importe|имя|дата|сумма|ссылка|"
    r"клиент)\b[^\]\n]{0,40}\])",
    r"\[[A-ZÀ-ÖØ-ÞА-ЯЁ][A-ZÀ-ÖØ-ÞА-ЯЁ _]{2,40}\]", r"【[^】]{1,20}】",
]


# --- structural signals (round 4) ---------------------------------------------------------------
# Not phrases but co-occurrence inside one clause (a sentence cut at , ; : — and 、，；：):
# a sentence counts for a step when it holds one pattern from EACH list of the step's entry.
# Built from grammar (person, tense, aspect) and small lexicons of the step's subject matter, so
# they carry over to wordings no case uses. `_NEG_OWN` vetoes ownership right after a negation
# ("not our fault", "non è colpa nostra", "не наша ошибка", "不是我们的错").

_FAULT_EN = (r"(mistake|error|fault|oversight|typo|bug|failure|slip|mix-?up|blunder|"
             r"omission|responsibility|screw-?up)")
_FAULT_IT = (r"(errore|sbaglio|colpa|svista|dimenticanza|mancanza|negligenza|disattenzione|"
             r"leggerezza|responsabilità|distrazione)")
_FAULT_ES = (r"(error|fallo|culpa|equivocaci[oó]n|descuido|olvido|despiste|responsabilidad|"
             r"negligencia|omisi[oó]n)")
_FAULT_RU = (r"(ошибк|вин[аыу]\b|недоработк|недосмотр|упущени|промах|оплошност|ответственност|"
             r"недоч[её]т|просч[её]т|халатност)")
_FAULT_ZH = r"(失误|错误|过失|疏忽|责任|笔误|疏漏|不对|错)"

STRUCT_RESPONSIBILITY: dict[str, list[list[str]]] = {
    "en": [[rf"\b(our|my)( own)?( \w+){{0,2}} {_FAULT_EN}\b"],
           [rf"\b({_FAULT_EN[1:-1]}|decision|choice|call|problem)s? (\w+ ){{0,3}}(is|was|were|"
            r"lies|lay|rests) (entirely |all |fully |wholly |squarely )?"
            r"(ours|mine|on us|on me|with us)\b"],
           [r"\bon (our|my) (side|end|part)\b", r"\b(mistake|error|fault|failure|slip)"],
           [r"\b(our|my) (decision|choice|call)\b", r"\b(wrong|mistake|bad|poor)\b"]],
    "it": [[rf"\b(nostr[oaie]|mi[oa]) ([\w']+ ){{0,2}}{_FAULT_IT}"],
           [rf"\b({_FAULT_IT[1:-1]}|decisione|scelta|problema)\b ([\w']+ ){{0,4}}"
            r"(è|era|fu|è stat[oa]"
            r") (interamente |tutta |solo |soltanto |davvero |proprio )?(nostr[oa]|mi[oa])\b"],
           [r"\b(nostr[oa]|mi[oa]) ([\w']+ ){0,2}(scelta|decisione)\b", r"\bsbagliat"],
           [r"\bda parte nostra\b|\bdalla nostra parte\b", _FAULT_IT]],
    "es": [[rf"\b(nuestr[oa]s?|mi) (\w+ ){{0,2}}{_FAULT_ES}"],
           [rf"\b({_FAULT_ES[1:-1]}|decisi[oó]n|problema|cosa)\b (\w+ ){{0,6}}(es|fue|era|ha sido) "
            r"(toda |totalmente |solo |enteramente |s[oó]lo )?(nuestr[oa]|m[ií][oa])\b"],
           [r"\b(fue|es|ha sido) cosa (nuestra|m[ií]a)\b"],
           [r"\b(por|de) nuestra parte\b", _FAULT_ES]],
    "ru": [[rf"\b(наш|мо[йяеи])\w* (\w+ )?{_FAULT_RU}"],
           [rf"{_FAULT_RU}\w* (\w+ ){{0,2}}наш"],
           [r"с нашей стороны", _FAULT_RU]],
    "zh": [[rf"(我们|我方|本店|我)[^，。；：的]{{0,4}}的[^，。；：]{{0,4}}{_FAULT_ZH}"],
           [r"(是|在|由|属于)(我们|我方|本店)(自己)?(的)?(责任|问题|失误|错)"]],
}
_NEG_OWN: dict[str, str] = {
    "en": r"\b(not|n't|no|never)\W+(\w+\W+){0,3}$",
    "it": r"\b(non|né|nessuna?)\W+(\w+\W+){0,3}$",
    "es": r"\b(no|ni|ninguna?)\W+(\w+\W+){0,3}$",
    "ru": r"\b(не|ни)\W+(\w+\W+){0,3}$",
    "zh": r"(不是|并非|不在|非)\S{0,3}$",
}

# Remedy: a corrective act (lexicon of repair verbs) done by us or passively, completed or
# promised, in the same clause as a first-person or passive marker.
_FIX_EN = (r"(fix|correct|refund|revers|cancel|restor|reset|replac|repair|reissu|resen[dt]|rebook|"
           r"reserv|credit|updat|chang|add|remov|block|lock|disabl|enabl|tighten|retrain|"
           r"re-?check|publish|roll\w* back|revert|mov|transferr|return|ship|dispatch|"
           r"arrang|book|schedul|upgrad|extend|waiv|stopp|paus|switch|introduc|install|deploy|"
           r"patch|contact|escalat|assign|regenerat|recalculat|rebuil|end|clos|reopen|approv|"
           r"retrain|rewr[io]t|sen[dt]|issu|appl|resolv|remov|unlock|delet|adjust|increas|"
           r"hir|train)")
STRUCT_REMEDY: dict[str, list[list[str]]] = {
    "en": [[r"\b(we|I)('ve| have| had)? (\w+ ){0,2}"
            rf"{_FIX_EN}(ed|d|t|ied)?\b"],
           [r"(?<!should )(?<!would )(?<!could )(?<!must )\b(has|have|was|were) "
            rf"(now |already |also |just )?been {_FIX_EN}\w*"],
           [r"\b(we|I)('ll| will| are going to| am going to) (\w+ ){0,2}(write|call|email|"
            rf"follow|check|let you know|confirm|{_FIX_EN[1:]}"]],
    "it": [[r"\b(abbiamo|ho|hanno|ha) (\w+ ){0,2}(corrett|risolt|sistemat|rimborsat|annullat|"
            r"stornat|ripristinat|sostituit|riparat|rigenerat|ricalcolat|aggiornat|cambiat|"
            r"modificat|aggiunt|rimoss|bloccat|disattivat|attivat|pubblicat|rilasciat|inviat|"
            r"spedit|riservat|fissat|accreditat|restituit|introdott|installat|approvat|"
            r"riportat|potenziat|rafforzat|contattat|sbloccat|ridott|aumentat|format|"
            r"assunt|spostat|prenotat|riprogrammat|rifatt|riconsegnat|ristampat|recuperat|"
            r"consegnat|dispost|anticipat|ritirat|eseguit)[oaie]\b"],
           [r"\b(è|sono) (già |ora |appena )?stat[oaie] (corrett|risolt|sistemat|rimborsat|"
            r"annullat|ripristinat|sostituit|riparat|aggiornat|approvat|inviat|spedit|sbloccat)"],
           [r"\b\w+(eremo|iremo|erò|irò)\b", r"\b(entro|domani|lunedì|martedì|mercoledì|"
            r"giovedì|venerdì|sabato|domenica|settimana|giorni|ore|oggi|rimborso|ordine|"
            r"account|conto|pacco)\b"]],
    "es": [[r"\b(hemos|he|han|ha) (\w+ ){0,2}(corregid|devuelt|reembolsad|anulad|cancelad|"
            r"restaurad|restablecid|sustituid|reemplazad|reparad|reenviad|enviad|reservad|"
            r"abonad|transferid|ingresad|actualizad|cambiad|añadid|eliminad|bloquead|"
            r"desactivad|activad|publicad|detenid|ajustad|reforzad|contactad|descontad|"
            r"regenerad|recalculad|resuelt|solucionad|desbloquead|aprobad|programad|"
            r"modificad)[oa]s?\b"],
           [r"\b\w+(aremos|eremos|iremos|aré|eré|iré)\b", r"\b(viernes|lunes|martes|miércoles|"
            r"jueves|sábado|domingo|mañana|semana|días|horas|hoy|antes|informe|reembolso|"
            r"pedido|cuenta|factura|servicio|meses)\b"],
           [r"\b(vamos a|voy a) (\w+ ){0,1}(añadir|corregir|revisar|cambiar|enviar|devolver|"
            r"reembolsar|mejorar|llamar|escribir|actualizar|poner|incluir)"],
           [r"\b(ya|desde esta mañana|desde hoy)\b", r"\b(están|está) (en|de nuevo|disponibles?|"
            r"activ|resuelt|corregid)"]],
    "ru": [[r"(?<!не )\b(исправ|вернул|вернём|вернем|отмени|замени|заменё|восстанов|перечисл|"
            r"начисл|зачисл|обнови|обновл|добави|убрал|удали|заблокир|отключи|продли|продлё|"
            r"отправи|отправл|выслал|компенсир|почини|устрани|измени|разблокир|свяж|сообщи|"
            r"пришл)\w*(ли|ла|ло|л|им|ем|ём|ен|ён|ено|ена|ены|на|но|ны|ан|ано|ана|аны)\b",
            r"\b(мы|я|уже|сегодня|завтра|теперь|\d+)\b|[а-яё]+(ен|ён|ена|ено|ены|ан|ана|ано|"
            r"аны)\b"]],
    "zh": [[r"(已经|已|(?<![即必])将(?!近)|(?<![机社开聚])会(?![员议计话])|"
            r"正在|马上|立即|立刻|随后|稍后)"
            r"[^，。；：]{0,6}(退|修复|更正|改正|补|恢复|停用|启用|赠送|预留|安排|发送|更新|上线|回退|取消|"
            r"调整|加强|增加|核对|排查|联系|替换|更换|重新|优化|完成|取出|转到|寄出|解锁|撤销|修改|"
            r"加入|减免|免除|送达|沟通|致电)"]],
}

# Impact: the customer as the one who bore it; adverbs between subject and verb allowed, and the
# causative "made you wait / averle fatto perdere / hacerte esperar / заставили вас ждать /
# 让您白跑".
STRUCT_IMPACT: dict[str, list[list[str]]] = {
    "en": [[r"\byou (\w+ ){1,2}(had to|could ?n[o']t|could not|were unable|lost|missed|spent|"
            r"wasted|waited|paid)\b"],
           [r"\b(made|left|forced|caused) you (\w+ )?(to )?(wait|lose|miss|spend|pay|chase|"
            r"call|come|go|redo|cancel|worry|stand)\b"],
           [r"\b(time|hassle|trouble|stress|worry|money|effort|nerves|trip)s? (\w+ )?you "
            r"(should ?n[o']t|did ?n[o']t need|never should|should never)"]],
    "it": [[r"\b(fatto|fatta|fatti|farle|farti|farvi|farla) (perdere|aspettare|sprecare|"
            r"pagare|spendere|tornare|correre)"],
           [r"\b(si|ti|vi) (era|eri|eravate|è|sei|siete) (pres|chiest)\w* "]],
    "es": [[r"\b(te|le|les|os) (tocó|hicimos|hemos hecho) (\w+ )?(esperar|perder|pagar|volver|"
            r"ir|llamar|gastar)"],
           [r"\b(hacerte|hacerle|haceros|hacerles|haberte hecho|haberle hecho|haberos hecho|"
            r"haberles hecho) (perder|esperar|pagar|volver|gastar)"],
           [r"\b\w+(aste|iste)\b", r"\b(trabajo|hora|horas|día|tarde|mañana|dinero|tiempo|"
            r"viaje|vuelo|familia)\b", r"\b(sin necesidad|para nada|en vano|tuviste|tocó|"
            r"antes del|pediste)\b"]],
    "ru": [[r"заставил\w* (вас|вам) (\w+ )?(ждать|ехать|тратить|платить|приходить|искать)"]],
    "zh": [[r"(让|使|害)(您|你)[^，。]{0,4}(白跑|白等|等了|多付|损失|耽误|浪费|担心|着急)"],
           [r"(您|你)(为此|因此|因为这件事)"],
           [r"给(您|你)添"],
           [r"(您|你)(一定|肯定|想必)(很|非常|特别|十分|也)"]],
}

# Explanation: "X instead of Y" about a past act (the wrong thing was done); a negated past act
# by us or our system ("он не проверил", "la segreteria non ha avvisato").
STRUCT_EXPLANATION: dict[str, list[list[str]]] = {
    "en": [[r"\binstead of\b", r"\b\w+ed\b"]],
    "it": [[r"\b(invece di|invece che|anziché)\b", r"\b(ha|hanno|abbiamo|ho)\b|\w+[aei]va\b"]],
    "es": [[r"\b(en lugar de|en vez de)\b", r"\b\w+(ó|aron|ieron|amos|aba|ía)\b"]],
    "ru": [[r"\bвместо\b", r"\w+(ла|ли|л)\b"],
           [r"(?<!вы )(?<!вам )(?<!вас )\bне (\w+(ил|ал|ел|ял|ыл)[аио]?)\b",
            r"\b(мы|наш\w*|сотрудни\w*|администратор\w*|систем\w*|оператор\w*|курьер\w*|"
            r"менеджер\w*|он|она|они)\b"]],
    "zh": [[r"(而不是|错当成|当成了|误选|选成了|写成了)"]],
}

# Compensation: a sentence that gives something by way of making amends, in any voice. Used
# only to stop `compensation_missing` (an offer in a form the type tables do not know), and to
# type a gift ("a tote bag and a thermos") that does not give back lost time.
STRUCT_OFFER: dict[str, list[str]] = {
    "en": [r"\b(to make (up|amends|it up)|as (an apology|a (goodwill )?gesture|compensation)|"
           r"by way of apology|on the house|free of charge|at no (extra )?(cost|charge)|"
           r"complimentary|for free|won'?t (be )?charg\w*|will not (be )?charg\w*|"
           r"waiv(e|ed|ing)|(is|are|'s) on us)\b"],
    "it": [r"\b(per (farci perdonare|rimediare|compensare|scusarci)|in omaggio|gratuit\w*|"
           r"gratis|a (nostre|nostro) (spese|carico)|senza (costi|spese)|non (le|ti|vi) "
           r"(addebiteremo|faremo pagare)|accreditat\w*|scontat\w*|offert[oaie] da noi)\b"],
    "es": [r"\b(para (compensar\w*|disculparnos|resarcir\w*)|corre de nuestra cuenta|gratis|"
           r"gratuit\w*|sin (coste|costo|cargo)|(no|sin) (te|le|les|os) (cobraremos|cobramos)|"
           r"no (te|le) cobraremos|descontad\w*|de regalo|invita la casa|por nuestra cuenta)\b"],
    "ru": [r"(в качестве (компенсаци|извинени)|в знак извинени|чтобы (загладить|компенсировать)|"
           r"бесплатн|за наш сч[её]т|не (возьм|спиш)\w* (с вас )?(плат|деньг)|в подарок)"],
    "zh": [r"(为了?弥补|为表歉意|作为补偿|表示歉意|全免|免单|免费|不收|减免|赠送|送您|送给您)",
           r"由(我们|我方)(买单|承担)"],
}
STRUCT_GIFT: dict[str, list[str]] = {
    "en": [r"\b(gift|tote|mug|thermos|t-shirt|hamper|flowers|chocolates|merch\w*)\b"],
    "it": [r"\b(regalo|gadget|tazza|borsa|maglietta|omaggio floreale)\b"],
    "es": [r"\b(regalo|taza|bolsa|camiseta|detalle)\b"],
    "ru": [r"(подарок|сувенир|кружк|футболк)"],
    "zh": [r"(礼品|礼物|帆布袋|保温杯|杯子|纪念品|小礼)"],
}


# --- round 5: constructions from a third blind review -------------------------------------------
# Offers first: the everyday ways of giving money back or not taking it (a fee waived or never
# billed, costs reimbursed, a statement credit), a redo given as a gesture (a priority
# appointment, a make-up exam), gift cards; then step wordings, ownership and its denial, blame
# and trivializing in all five languages.

# Spans that mention an offer word without offering anything: a negated refund ("cancelled the
# job without refunding you", "не вернули деньги") or a shortfall ("le abonamos 400 EUR menos").
# They are cut out of a sentence before its offers are read.
OFFER_NEGATED: dict[str, list[str]] = {
    "en": [r"\b(without|never|no longer|didn'?t|did not|wasn'?t|was not|weren'?t|were not|"
           r"hasn'?t|has not|haven'?t|have not|hadn'?t|had not|failed to|forgot to|instead of) "
           r"(\w+ ){0,2}(refund|reimburs|credit|compensat|paid|paying|return)\w*",
           r"\b(\w+ ){0,3}[$€£]?\d[\d.,]* ?[a-z$€£]{0,7} (less|short|too little)\b"],
    "it": [r"\b(senza|non) (\w+ ){0,2}(rimbors|restitu|accredit|stornat|risarc|compens|"
           r"bonific|versat)\w*",
           r"\b(\w+ ){0,3}\d[\d.,]* ?\S{0,7} (in )?meno\b", r"\bdi meno\b"],
    "es": [r"\b(sin|no) (se )?(\w+ ){0,2}(reembols|devolv|devuelt|abon|compens|reintegr|"
           r"acredit|transfer)\w*",
           r"\b(\w+ ){0,3}\d[\d.,]* ?\S{0,7} (de )?menos\b", r"\bmenos de lo que\b"],
    "ru": [r"\b(не|без) (\w+ ){0,2}(вернул|верн[её]м|возврат|возмест|возмещ|компенс|зачисл|"
           r"начисл|перевел|перевёл|перечисл)\w*",
           r"\d[\d\s.,]* ?\S{0,7} меньше", r"недоплат\w*"],
    "zh": [r"(没有|没|未|并未|尚未|还没)(有)?[^，。；]{0,4}(退|返还|补偿|赔|到账)",
           r"少(付|赔|退|给|打|算)了?[^，。]{0,3}\d*"],
}

_ROUND5: list[tuple[Any, str | None, dict[str, list[str]]]] = [
    # refund, a charge not taken: waived, cancelled, written off, taken off the bill, not billed,
    # "we'll pay for the taxi", "a statement credit"; period-bound ones are service credit too
    (OFFER_TYPES["refund"], None, {
        "en": [r"\b(waive[sd]?|waiving|cancell?ed|cancelling|removed|reversed|voided|dropped|"
               r"wrote off|written off) (\w+ ){0,4}(fee|charge|penalty|surcharge|fine|"
               r"commission|cost|bill)s?\b",
               r"\b(fee|charge|penalty|surcharge|fine|commission|cost)s? (\w+ ){0,4}(has been|"
               r"have been|was|were|is|are|will be|'s been) (\w+ )?(waived|cancell?ed|removed|"
               r"reversed|voided|credited|written off|refunded|dropped|taken off)\b",
               r"\btak(e|en|ing|es) (\w+ ){0,3}off (your|the) (\w+ )?(bill|invoice|statement|"
               r"balance)\b",
               r"\bdeduct(ed|ing)? (\w+ ){0,4}from (your|the) (next )?(bill|invoice|statement)\b",
               r"\b(will not|won'?t|are not going to) (bill|charge|invoice) you\b",
               r"\byou (won'?t|will not|don'?t|do not) (have to |need to )?pay (anything|a "
               r"(thing|cent|penny)|for)\b",
               r"\b(we|I)('ll| will|'ve| have| are going to)? (also )?(pay|paid|cover|covered) "
               r"(for )?(the|your) (\w+ ){0,2}(costs?|taxi|fare|bill|expenses?|repair|ticket|"
               r"hotel|ride|parking|delivery|postage)\b",
               r"\bstatement credit\b",
               r"\bcredit\w* (\w+ ){0,4}(to|on|back to) your (card|statement|bank)\b"],
        "it": [r"\b(annullat|stornat|cancellat|rimoss|tolt|scalat|detratt|abbuonat|condonat)\w* "
               r"(\w+ ){0,4}(la |il |l'|le |i )?(commission|addebit|penal|spes|cost|tariff|mora|"
               r"multa|bollett|canon|quota)\w*",
               r"\b(commission|addebit|penal|spes|cost|tariff|mora|multa)\w* (\w+ ){0,4}"
               r"(le |ti |vi )?(viene|verrà|è stat[oa]|sono stat[ie]|sarà|saranno) "
               r"(accreditat|rimborsat|stornat|restituit|annullat|scalat|tolt|abbuonat)\w*",
               r"\b(tolt|scalat|detratt|dedott)\w* (\w+ ){0,4}(dalla|dal|sulla|sul|nella) "
               r"(\w+ )?(bolletta|fattura|conto|estratto|rata)\b",
               r"\bnon (le |ti |vi )?(addebiteremo|faremo pagare|fattureremo)\b",
               r"\bnon (pagherà|pagherai|pagherete|dovrà pagare|dovrai pagare|dovrete pagare)\b",
               r"\b(ci|ce ne) (facciamo|faremo) carico (noi )?(del|della|dei|delle) (cost|spes|"
               r"taxi|bigliett|fattur|cont|riparazion)",
               r"\b(paghiamo|pagheremo|copriamo|copriremo) noi\b",
               r"\b(paghiamo|pagheremo|copriamo|copriremo|abbiamo pagato|abbiamo coperto) "
               r"(\w+ ){0,2}(cost|spes|taxi|bigliett|riparazion)"],
        "es": [r"\b((anul|condon|elimin|retir|quit|suprim|cancel|descont|exim)(ado|ada|ados|"
               r"adas|amos|aremos|ó)|deduc(ido|imos|iremos)|rest(ado|amos|aremos)) "
               r"(\w+ ){0,4}(la |el |los |las )?(comisi[oó]n|cargo|recargo|penalizaci[oó]n|multa|"
               r"cuota|tasa|gastos?|coste|costo|importe|tarifa|portes)\b",
               r"\b(descont|deduc|rest|rebaj)\w* (\w+ ){0,4}(de|en) (la|su|tu|el) (\w+ )?"
               r"(factura|recibo|cuota|extracto)\b",
               r"\bno (te |le |les |os )?(cobraremos|vamos a cobrar|facturaremos|se (te|le|les) "
               r"cobrar[aá])\b",
               r"\bno (pagar[aá]s?|tendr[aá]s? que pagar|deber[aá]s? pagar)\b",
               r"\bnos (hacemos|haremos) cargo (del|de la|de los|de las) (cost|gasto|taxi|"
               r"factura|reparaci|billete|importe)",
               r"\b(pagaremos|cubriremos|asumiremos|asumimos|hemos pagado|hemos cubierto) (\w+ )"
               r"{0,2}(el |los |la |las )?(cost|gasto|taxi|importe|factura|billete|reparaci)",
               r"\babono (del? (un )?\d|en (su|tu|la) (cuenta|factura|tarjeta))"],
        # not "списали": "мы дважды списали комиссию" is the charge itself
        "ru": [r"(аннулировал|отменил|обнулил|убрал)\w* (\w+ ){0,2}(штраф|пен[иья]|"
               r"комисси|неустойк|задолженност|долг|сбор)",
               r"не (будет|будут) (включен|выставлен|начислен|списан)\w* (в|на) (сч[её]т|оплат)",
               r"(не выставим|не будем выставлять) (вам )?сч[её]т",
               r"(вы )?не (будете|придётся|придется|нужно) (ничего )?(платить|оплачивать)",
               r"не (возьм[её]м|будем брать|будем списывать|спишем) (с вас )?(\w+ )?(плат|деньг|"
               r"оплат|комисси)",
               r"(оплатим|оплатили|покроем|покрыли|возьм[её]м на себя|взяли на себя) (вам )?"
               r"(\w+ ){0,2}(расход|стоимост|такси|билет|ремонт|доставк|затрат)"],
        "zh": [r"(免除|减免|免收|免去)(了)?[^，。；]{0,8}(费|罚款|罚金|滞纳金|违约金)",
               r"(已|已经|为您|给您)(取消|撤销)(了)?[^，。；]{0,6}(费|罚款|罚金|滞纳金|违约金)",
               r"(费|罚款|罚金|滞纳金|违约金)[^，。；]{0,10}(减免|免除|免收|全免)",
               r"(费用|开销|花费|车费|打车费|路费|修理费|差价|运费)[^，。；]{0,6}由(我们|我方|本店|"
               r"我司|公司|平台|我院|本院)(来)?(承担|支付|报销|负责|全额承担)",
               r"(我们|我方|本店|我司|公司|平台)[^，。；]{0,6}报销", r"(为|给)(您|你)报销",
               r"(无需|不用|不必)(再)?(支付|付费|缴费|付款|交费|买单)"],
    }),
    # service credit, a period not charged: "your next month is on us", "non pagherà nulla per
    # i prossimi due mesi", "следующие два месяца вы не будете платить", "接下来两个月您无需付费"
    (SERVICE_CREDIT, None, {
        "en": [r"\b(month|week|year|day)s? (\w+ ){0,2}(is|are|will be) on (us|the house)\b",
               r"\byou (won'?t|will not|don'?t|do not) (have to |need to )?pay (anything |a "
               r"(thing|cent|penny) )?(for|during) (the next|this|next|the (current|whole)) "
               r"(\w+ )?(month|week|year|billing)",
               r"\bfree (months?|weeks?|days?|year)\b"],
        "it": [r"\bnon (pagherà|pagherai|pagherete|dovrà pagare|dovrai pagare) (nulla |niente )?"
               r"(per )?(il|i|la|le|questo|questa|questi) (prossim\w* )?(\w+ )?(mes|settiman|"
               r"ann|giorn)",
               r"\b(mese|mesi|settiman[ae]|anno) (\w+ ){0,2}(è|sono|sarà|saranno) (offert|"
               r"regalat|gratuit)\w*"],
        "es": [r"\bno (pagar[aá]s?|tendr[aá]s? que pagar) (nada )?(durante |por |en )?(el|los|"
               r"este|estos|la|las) (pr[oó]xim\w* )?(\w+ )?(mes|semana|año|d[ií]a)",
               r"\bno (te |le |les |os )?(cobraremos|vamos a cobrar) (\w+ ){0,3}(mes|semana|"
               r"d[ií]as?|año|almacenaje|cuota)"],
        "ru": [r"(месяц|недел|год)\w* (\w+ ){0,2}(вы )?не (будете|придётся|придется|нужно) "
               r"(ничего )?платить"],
        "zh": [r"(个?月|周|天|年)[^，。；]{0,6}(您|你)?(无需|不用|不必)(再)?(付费|缴费|支付|交费)"],
    }),
    # gift cards: a stored value for later, the same kind of offer as a voucher
    (OFFER_TYPES["voucher"], None, {
        "en": [r"\b(gift|store|shopping) card\b", r"\bgift certificate\b"],
        "it": [r"\b(carta|buono) regalo\b"],
        "es": [r"\btarjeta (de )?regalo\b", r"\bcheque regalo\b"],
        "ru": [r"подарочн\w* (карт|сертификат)"],
        "zh": [r"(礼品卡|购物卡|储值卡|充值卡)"],
    }),
    # a redo given as a gesture: a priority, private or make-up appointment; or the event the
    # customer lost held again for them (a new exam session, a make-up lesson). A plain new
    # appointment for a visit or delivery that was missed is the fix itself, not compensation.
    (OFFER_TYPES["exchange"], None, {
        "en": [r"\b(priority|make-?up|private|one-to-one|one-on-one|dedicated|replacement) "
               r"(appointment|session|slot|lesson|class|consultation|visit|booking|tour|call)\b",
               r"\b(we('ve| have)?|I('ve| have)?) (also )?(re-?booked|rescheduled|reserved|booked|"
               r"arranged|scheduled|set up) (you |for you )?(a |an )?(free|extra|priority|"
               r"private) (appointment|session|slot|lesson|class|consultation|visit|booking|"
               r"tour|exam)\b",
               r"\b(we('ve| have)?|I('ve| have)?) (also )?(re-?booked|reserved|booked|arranged|"
               r"scheduled|set up|enrolled) (you |for you )?(a |an |in a |on a )?new (exam|lesson|"
               r"class|sitting|webinar|workshop)\b",
               r"\b(make-?up|extra|free) (exam|lesson|class|sitting|webinar|workshop)\b"],
        "it": [r"\b(appuntamento|sessione|lezione|visita|consulenza|turno|corsia) (\w+ )?"
               r"(prioritari|preferenzial|dedicat|di recupero|individual|privat|riservat)\w*",
               r"\b(prenotat|riservat|fissat|organizzat|iscritt|programmat)\w* (\w+ ){0,3}"
               r"(un|una|un'|a un|a una)? ?(nuov[oa]|altr[oa]) (sessione d'esame|sessione di "
               r"esame|prova d'esame|lezione|esame|appello)\b"],
        "es": [r"\b(cita|sesi[oó]n|clase|visita|consulta|turno) (prioritari|preferent|de "
               r"recuperaci[oó]n|individual|privad|dedicad|extra|adicional)\w*",
               r"\b(reservad|programad|inscrit|asignad|ofrecid|dad)\w* (\w+ ){0,3}(una? )?"
               r"(nueva|nuevo|otra|otro) (clase|convocatoria|prueba|sesi[oó]n de examen|examen)"
               r"\b"],
        "ru": [r"(приоритетн|внеочередн|индивидуальн|отдельн|персональн)\w* (при[её]м|запис|"
               r"консультаци|заняти|урок|сеанс|визит|встреч|вебинар)",
               r"вне очереди", r"(проведём|проведем|проведёт|проведет|организуем) (\w+ ){0,2}"
               r"для вас", r"пересдач"],
        "zh": [r"优先(安排|处理|预约|办理|派送|接待)", r"再次(参观|入场|游览)",
               r"补课", r"补考", r"重考", r"(单独|专门)(为您|给您)?(安排|补|加开)"],
    }),
    # explanation: "we/I uploaded the wrong version", "our team scheduled it twice", a
    # narrative of what someone on our side did
    (STEPS, "explanation", {
        "en": [r"\b(we|I) (accidentally |mistakenly |wrongly )?(uploaded|published|posted|"
               r"exported|imported|entered|typed|installed|assigned|loaded|copied|labell?ed|"
               r"listed|printed|double-booked|overbooked|overwrote|mislabell?ed)\b",
               # an agent did it ("our team scheduled"), not a passive ("the order was cancelled")
               r"\b(our|the|a|an) ((?!(was|were|is|are|been|be|has|have|had)\b)[\w-]+ ){1,3}"
               r"(scheduled|uploaded|published|posted|entered|"
               r"typed|assigned|booked|listed|printed|labell?ed|priced|loaded|copied|installed|"
               r"cancell?ed|flagged|rejected|declined|routed|forwarded|overbooked|"
               r"double-booked)\b",
               r"\b(accidentally|mistakenly|inadvertently) \w+ed\b",
               r"\b(we|I) (had not|hadn'?t|did not|didn'?t|never) (\w+ )?(update|block|sync|"
               r"configure|send|notify|tell|register|record|save|back up|remove|flag|load|"
               r"enter)\w*\b"],
        "it": [r"\bnon (abbiamo|ho|avevamo|avevo) ((?!ancora\b)\w+ )?(bloccat|aggiornat|inserit|"
               r"inviat|"
               r"controllat|verificat|registrat|segnalat|comunicat|avvisat|impostat|configurat|"
               r"trasmess|salvat|previst|testat|sincronizzat|attivat|disattivat|rimoss)\w*",
               r"\b(è|sono) stat[oaie] (\w+ )?(scambiat|invertit|confus|mescolat|sovrascritt|"
               r"duplicat)\w*",
               r"\bdopo (l'|il|la|lo|i|gli|le|un|una|un') ?([\w']+ ){0,2}(aggiornament|"
               r"migrazion|manutenzion|rilasci|riavvi|installazion|sincronizzazion)\w*",
               r"\b(nella|in|durante la) fase di (\w+ )?(etichettatur|imballagg|smistament|"
               r"fatturazion|caricament|configurazion|registrazion|spedizion|stampa|"
               r"preparazion|prenotazion|consegn|pagament)\w*"],
        "es": [r"^qu[eé] (pas[oó]|ha pasado|ocurri[oó]|sucedi[oó]|fall[oó])\b",
               r"\bsin (antes )?haber (probado|comprobado|revisado|verificado|avisado|"
               r"confirmado|preguntado|actualizado)\b",
               r"\b(fue|fueron|se) (\w+ )?(intercambiad|invertid|confundid|mezclad|sobrescrit|"
               r"duplicad)\w*",
               r"\b(tras|despu[eé]s de) (el|la|los|las|nuestr[oa]|una?) (\w+ ){0,2}"
               r"(actualizaci[oó]n|migraci[oó]n|mantenimiento|reinicio|instalaci[oó]n|"
               r"sincronizaci[oó]n)\b",
               r"\bno (hemos |hab[ií]amos )?(bloquead|actualizad|registrad|avisad|configurad|"
               r"sincronizad|probad|activad|desactivad)\w*",
               r"\bno (bloqueamos|registramos|configuramos|sincronizamos|probamos|activamos|"
               r"desactivamos|revisamos|verificamos|enviamos)\b"],
        "ru": [r"(при|во время|в ходе|в процессе) (\w+ )?(перевод|подключени|оформлени|смен|"
               r"регистраци|отправк|упаковк|маркировк|печат)\w* "
               r"(\w+ ){0,6}\w+(ли|ла|ло|л|лся|лась|лось|лись)\b",
               r"после (\w+ )?(обновлени|миграци|переезд|перезагрузк|установк)",
               r"(были|был|была|было) (\w+ )?(перепутан|переставлен|перезаписан|продублирован)"],
        "zh": [r"被(调换|弄混|搞混|覆盖|混淆|调包)"],
    }),
    # explanation "after the update": the moment the failure came from, as in round 3
    (STEPS, "explanation", {
        "en": [r"\bafter (a |an |the |our |last \w+'?s? )?([\w-]+ ){0,2}(update|upgrade|"
               r"migration|maintenance|deploy\w*|release|rollout|restart|reboot)\b"],
    }),
    # impact: what the customer went through ("you sat through", "not what you signed up for",
    # "perdendo un paio d'ore", "排了两个小时的队", "一定让您很不舒服", "花时间")
    (STEPS, "impact", {
        "en": [r"\byou (sat|stood|queued|walked|went|turned up|showed up|gave up|rearranged|"
               r"sat through)\b",
               r"\bnot what you (signed up|paid|asked|came|booked|ordered|were promised)\b",
               r"\byou (\w+ )?found (\w+ ){0,3}(closed|empty|locked|broken|missing|gone)\b"],
        "it": [r"\b(perdendo|aspettando|sprecando)\b",
               r"\b(ha|hai|avete|abbia|abbiate) trovato (\w+ ){0,3}(chius|vuot|rott|sbagliat|"
               r"nessun)\w*"],
        "es": [r"\bperdiendo\b",
               r"\b(encontr[oó]|encontraste|encontraron|se encontr[oó]) (\w+ ){0,3}(cerrad|"
               r"vac[ií]|rot|equivocad)\w*"],
        "ru": [r"(застали|обнаружили|нашли) (\w+ ){0,3}(закрыт|пуст|сломан)\w*"],
        "zh": [r"(花|花费)了?(不少|很多|大量|半天|一上午|一下午)?(的)?(时间|精力)",
               r"(专门|特意)(花|跑|请|打|来|去)",
               r"(让|使|令)(您|你)[^，。]{0,4}(不舒服|不便|困扰|头疼|心烦|不安|为难|难受|糟心)",
               r"(一定|肯定|想必)(让|使|令)(您|你)", r"排了[^，。]{0,8}队", r"排(了)?长队", r"久等",
               r"打乱", r"(本该|本应|原本)[^，。]{0,10}(愉快|顺利|开心|美好|轻松)"],
    }),
    # remedy: follow-ups by a named colleague ("Mark will call you on Friday", "vi chiamerà"),
    # completed credits, dated changes ("From 10 March, ..."), present-for-future pick-ups
    (STEPS, "remedy", {
        "en": [r"\b(will|'ll) (call|email|phone|contact|ring|visit|write to|text|message) you\b",
               r"\b(is|are) (now )?(credited|refunded|waived|reversed)\b",
               # "From 10 March, every load ..." (a dated change, not "From Monday to Friday")
               r"^(?!.*\b(was|were|had)\b)(from|starting|as of|beginning) (today|tomorrow|now|"
               r"next \w+|this (week|month)|monday|tuesday|wednesday|thursday|friday|saturday|"
               r"sunday|\d{1,2}(st|nd|rd|th)? (of )?[a-z]+|(january|february|march|april|may|june|"
               r"july|august|september|october|november|december) \d{1,2}),",
               r"\b(we|I)('ve| have)? (already |now |just |also )?(paid|returned|transferred|"
               r"wired|deposited|reimbursed|escalated|retrained)\b",
               r"\bnow (includes?|requires?|needs?|checks?|goes through|runs|uses|confirms|"
               r"reserves?)\b"],
        "it": [r"\b(vi|ti|la|le|lo|li|gli) (chiamerà|contatterà|scriverà|richiamerà|"
               r"ricontatterà|aggiornerà|telefonerà|chiameranno|contatteranno|scriveranno)\b",
               r"\bentro (le|il|la|l') ?\d", r"^(?!.*\b(era|erano|è stat|sono stat)\w*)(da (ora|"
               r"oggi|domani|adesso|questa settimana|questo mese)|a partire da\w*)\b",
               r"\b(passiamo|passeremo|torniamo|veniamo|verremo) a (riprender|ritirar|prender|"
               r"sistemar|ripar|sostituir|consegnar|installar)\w*",
               r"\b(te|ve|glie|ce)?(le|li|lo|la) (riportiamo|rimandiamo|rispediamo|"
               r"consegniamo|sostituiamo)\b"],
        "es": [r"^(desde (hoy|ma[nñ]ana|ahora)|a partir del? (\d{1,2}|lunes|martes|"
               r"mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|pr[oó]xim\w*|hoy|ma[nñ]ana|"
               r"ahora))\b"],
        "ru": [r"^(с|начиная с) (\d{1,2} (января|февраля|марта|апреля|мая|июня|июля|августа|"
               r"сентября|октября|ноября|декабря)|понедельника|вторника|среды|четверга|пятницы|"
               r"субботы|воскресенья|завтрашнего дня|сегодняшнего дня|следующей недели)(?! по )"],
        "zh": [r"已(经)?(全部|全数|都)?(送达|到达|发出|寄出|到账|修好|处理完)",
               r"(我们|我)(也|还|均|都|同时)(已|已经)",
               r"将(在|于)?[^，。！？]{0,10}(沟通|致电|回访|回复|减免|退还|补偿)"],
    }),
    # remedy for a trivial slip: the correction against what was written, prices with decimals
    # ("cuestan 0,29 €, no 0,19 € como pusimos")
    (STEPS, "remedy", {
        "en": [r"\bnot (\d[.,]\d|[^,.;]){1,40},? as (we|it was|previously) (wrote|said|stated|"
               r"announced|listed|printed|written|had it)\b"],
        "it": [r"\bnon (\d[.,]\d|[^,.;]){1,40},? come (avevamo|abbiamo|era stato|è stato|"
               r"c'era) (scritto|indicato|comunicato|annunciato|riportato|stampato)\b"],
        "es": [r"\bno (\d[.,]\d|[^,.;]){1,40},? como (pusimos|indicamos|escribimos|dijimos|"
               r"anunciamos|hab[ií]amos (escrito|indicado|puesto|anunciado|publicado|dicho))\b"],
        "ru": [r"а не (\d[.,]\d|[^,.;]){1,40},? как (мы )?(ошибочно )?(написали|указали|"
               r"было указано|сообщили|было написано)"],
    }),
    # responsibility: "we sent it by mistake", "our team scheduled it twice by mistake",
    # "我们把链接填错了", responsibility placed on the sender's own business by name
    (STEPS, "responsibility", {
        "en": [r"\b(we|I) ((?!you\b)\w+ ){0,5}(by mistake|in error|by accident)\b",
               r"\b(we|I) (accidentally|mistakenly|wrongly|inadvertently) \w+",
               r"\bour (\w+ ){0,2}(team|staff|colleagues?|agents?|people|employees?|"
               r"department)\b (\w+ ){0,5}(by mistake|in error|by accident)\b",
               r"\b(responsibility|fault) (\w+ ){0,3}(is|lies|rests) (entirely |fully |solely )?"
               r"with (the|our) (clinic|company|store|shop|school|salon|restaurant|hotel|agency|"
               r"pharmacy|team|office)\b"],
        "it": [r"\b(abbiamo|ho) (\w+ ){0,4}per errore\b",
               r"\bresponsabilità ([\w']+ ){0,3}(è|resta|rimane) (tutta |interamente |solo )?"
               r"(della|del|dell') (nostr\w+ )?(clinica|azienda|negozio|scuola|società|"
               r"ristorante|hotel|agenzia|farmacia|studio|ufficio)\b"],
        "es": [r"\b(hemos|he) (\w+ ){0,4}(por error|por equivocaci[oó]n)\b",
               r"\b(enviamos|pusimos|cobramos|programamos|publicamos|mandamos|borramos|"
               r"cancelamos|aplicamos|reservamos) (\w+ ){0,4}(por error|por equivocaci[oó]n)\b",
               r"\bla responsabilidad (\w+ ){0,3}es (toda |enteramente )?de (la|el|nuestr[oa]) "
               r"(cl[ií]nica|empresa|tienda|escuela|academia|restaurante|hotel|agencia|farmacia|"
               r"oficina)\b"],
        "ru": [r"(мы|я) (\w+ ){0,4}(по ошибке|ошибочно|случайно)",
               r"ответственност\w* (\w+ ){0,3}(лежит |целиком |полностью )*на (клиник|компани|"
               r"магазин|школ|салон|ресторан|отел|сервис|редакци|студи|агентств|аптек)\w*"],
        "zh": [r"(我们|我)[^，。！？]{0,8}(误(删|发|填|写|选|收|扣|操作|将|把|寄|设|标|以为|判)|"
               r"错误地|不小心|一时疏忽)",
               r"(我们|我)把[^，。！？]{0,12}(填|写|发|弄|搞|选|开|拿|贴|算|打|记|寄|送|装|标|设|放)错",
               r"责任(完全)?在(本店|诊所|医院|我们店|本公司|我司|我院|本院)"],
    }),
    # blame: denying the fault outright ("it was not our mistake", "non è stata una nostra
    # disattenzione", "这不是我们的疏忽"), the customer's own entry "did not match", advice to
    # check their details next time, "beyond our control" said plainly
    (BLAME_STRONG, None, {
        "en": [r"\b(is|was|'s|were)(n'?t| not| never) (\w+ )?(our|my) (own )?(mistake|error|fault|"
               r"oversight|failure|doing|responsibility)\b",
               r"\bnot (an? )?(mistake|error|oversight) (on our part|of ours|on our (side|end))\b",
               r"\bthe \w+ (\w+ ){0,2}(that |which )?you (entered|typed|gave us|provided|gave|"
               r"supplied|chose|selected|used)\b.{0,60}\b(did ?n[o']t match|was wrong|was "
               r"incorrect|was invalid|was outdated|was not valid|wasn'?t valid|was out of date)",
               r"\b(we )?(recommend|suggest|advise|ask) (that )?you (\w+ ){0,2}(double-?check|"
               r"check|verify|review|read)\w* (\w+ ){0,2}(your|the) (details|data|information|"
               r"address|entries|spelling|order)\b.{0,40}\b(in (the )?future|next time|from now "
               r"on)\b",
               r"\b(we|I) (had|have) no control over\b"],
        "it": [rf"\bnon (è|e'|era|fu|è stat[oa]) (\w+ ){{0,2}}(nostr[oa]|mi[oa]) {_FAULT_IT}",
               rf"\bnon (è|e'|era|fu|è stat[oa]) (un|una|un') ?{_FAULT_IT} (nostr|mi|da parte "
               r"nostra)",
               r"\b(che|da) (lei|tu|voi)? ?(ha|hai|avete) (indicato|inserito|fornito|scritto|"
               r"scelto|comunicato)\b.{0,60}\b(non corrispondev|non coincidev|errat|sbagliat|"
               r"non valid|non era corrett)",
               r"\b(le|ti|vi) (consigliamo|suggeriamo|raccomandiamo|chiediamo) di "
               r"(ri)?(controllare|verificare|leggere|rileggere) (bene |attentamente )?"
               r"(i|il|la|le|l') ?(suoi|tuoi|vostri|sua|tua|vostra)? ?(dati|indirizzo|"
               r"informazioni)\b.{0,40}\b(in futuro|la prossima volta|d'ora in (poi|avanti)|"
               r"prossim\w*)"],
        "es": [rf"\bno (es|fue|ha sido|era) (\w+ )?(nuestr[oa]|mi) {_FAULT_ES}",
               rf"\bno (es|fue|ha sido|era) (un|una|el|la) {_FAULT_ES} (nuestr|m[ií]o|de nuestra "
               r"parte|por nuestra parte)",
               r"\b(el|la|los|las) \w+ (\w+ ){0,2}que (usted|tú) (indicó|indicaste|introdujo|"
               r"introdujiste|puso|pusiste|escribió|escribiste|facilitó|facilitaste|dio|diste|"
               r"proporcionó|eligió|elegiste)\b.{0,60}\b(no coincid|no era|no eran|err[oó]ne|"
               r"incorrect|equivocad|no (era|estaba) (v[aá]lid|correct))",
               r"\b(le|te|les|os) (recomendamos|sugerimos|pedimos|aconsejamos) (que )?"
               r"(revis|comprueb|verifiqu|lea|leer|comprobar|revisar|verificar)\w* "
               r"(bien |con atenci[oó]n |detenidamente )?(sus|tus|los|vuestros) (datos|"
               r"informaci[oó]n|direcci[oó]n)\b.{0,40}\b(futur\w*|pr[oó]xim\w*|en adelante)"],
        "ru": [rf"не (\w+ )?(наш|мо[йяеи])\w* {_FAULT_RU}",
               r"(который|которую|которое|которые) вы (указали|ввели|дали|выбрали|написали|"
               r"предоставили).{0,60}(не совпада|неверн|неправильн|ошибочн|устарел)",
               r"(рекомендуем|советуем|просим) (вам )?(впредь|в будущем) (внимательно |"
               r"внимательнее )?(проверять|проверить|сверять|перепроверять|перепроверить) "
               r"(\w+ )?(свои|ваши)? ?(данные|реквизиты|адрес)",
               r"(мы|от нас) (никак )?не (могли|можем) (на это )?(повлиять|контролировать)"],
        "zh": [r"(不是|并非|并不是|不属于)(我们|我方|本店|我司|我)(的|自身的|这边的)[^，。]{0,4}"
               r"(错|失误|过失|疏忽|疏漏|过错|责任|问题)",
               r"完全是(?!我们|我方|我的)[^，。]{0,8}的?原因",
               r"(我们|我司|我方)[^，。]{0,4}(无法|不能|难以)(控制|掌控|左右)",
               r"(您|你)(填写|输入|提供|选择|留下)的[^，。]{0,10}(有误|错误|不一致|不符|不正确|"
               r"不匹配)",
               r"(建议|请)(您|你)(以后|今后|下次)[^，。]{0,6}(仔细)?(核对|检查|确认)"],
    }),
    # trivializing: "most participants connected without problems", "affected only a few"
    (TRIVIALIZING, None, {
        "en": [r"\bmost (of )?(our |the )?(\w+ )?(customers|users|clients|students|participants|"
               r"attendees|passengers|guests|members|people) (\w+ ){0,4}without (any )?(problems?|"
               r"issues?|trouble)\b",
               r"\b(affected|impacted|hit) (only|just|merely) (a (small )?(handful|few|small "
               r"number|fraction)|a few|very few)\b"],
        "it": [r"\b(maggior parte|maggioranza) (de\w*|di) ([\w']+ )?(clienti|utenti|studenti|"
               r"partecipanti|iscritti|passeggeri|ospiti|abbonati|persone)\b.{0,80}\bsenza (alcun |"
               r"nessun )?problem",
               r"\b(ha|hanno) (riguardato|colpito|interessato) (solo|soltanto) (pochi|poche|"
               r"una piccola parte|una minoranza)"],
        "es": [r"\bmayor[ií]a de (los |nuestros |las |nuestras )?(clientes|usuarios|alumnos|"
               r"estudiantes|participantes|pasajeros|socios|abonados|personas)\b.{0,80}\bsin "
               r"(ning[uú]n )?(problema|incidencia|contratiempo)",
               r"\b(afect[oó]|ha afectado) (solo|s[oó]lo|apenas) a (unos pocos|muy pocos|"
               r"una minor[ií]a|una peque[nñ]a parte)"],
        "ru": [r"большинство (\w+ ){0,2}(клиент|пользовател|участник|ученик|студент|пассажир|"
               r"покупател|абонент|гост)\w*.{0,60}без (каких-либо |всяких |особых )?(проблем|"
               r"сбоев|затруднений)",
               r"(затронул|коснул)\w* (совсем |лишь |только )(немногих|единиц|небольш\w* "
               r"(част|числ|групп))"],
        "zh": [r"(大多数|大部分|绝大多数)(的)?(用户|客户|顾客|会员|学员|参与者|乘客|学生)"
               r"(?![^。]{0,20}恢复)[^。]{0,20}(都)?(正常|顺利|没有问题|没问题)",
               r"(只|仅)(影响|涉及)了?(极少数|少数|一小部分|个别)"],
    }),
]

_merge(_ROUND5)


# --- round 6: constructions from a fourth blind review -------------------------------------------
# Ownership said after the noun ("È una mancanza nostra", "Ошибка в настройке — наша", "both
# failures are ours"); what the customer went through in the third person or with words in
# between ("Вы два часа ждали", "lei sia rimasto senza", "花了大半天时间"); perks instead of
# money; "we regret that you feel", cold "表示遗憾"; passive "set up incorrectly"; fault placed
# "down to them"; and trivializing by scope ("ha interessato una piccola parte dei clienti").

_ROUND6: list[tuple[Any, str | None, dict[str, list[str]]]] = [
    (STEPS, "responsibility", {
        "en": [rf"\b{_FAULT_EN}s (\w+ ){{0,2}}are (all |both |entirely |squarely )?(ours|mine|"
               r"on us)\b",
               r"\b(problem|error|mistake|issue|fault|outage|failure) (\w+ ){0,2}(started|"
               r"originated|began) (with|on) (us|our side|our end)\b",
               r"\b(we|I) caused (it|this|that|the (\w+ )?(problem|outage|delay|error|issue|"
               r"damage|mix-?up))\b"],
        "it": [rf"\b{_FAULT_IT} (tutta |solo |soltanto |proprio )?(nostr[oa]|mi[oa])\b",
               r"\b(l'|lo |la )?(abbiamo|ho) (\w+ )?(causat|provocat|creat|combinat)\w* (noi|io)\b",
               r"\b(abbiamo|ho) (\w+ ){1,2}sbagliato\b",
               r"\b(problema|errore|guasto|disguido|blocco|ritardo|disservizio|sbaglio) (\w+ ){0,2}"
               r"(nat[oa]|partit[oa]|dipes[oa]|venut[oa]) (proprio |tutto |interamente )?da "
               r"(noi|me)\b",
               r"\bnessuno (di noi|del nostro \w+) (l'|lo |la |se n'|se ne )?(ha|è|aveva) \w+"],
        "es": [r"\b(lo|la|los|las) (causamos|provocamos|originamos) nosotros\b",
               r"\b(error|fallo|problema|culpa) (\w+ ){0,3}(surgi[oó]|parti[oó]|vino|naci[oó]) de "
               r"nosotros\b"],
        "ru": [rf"{_FAULT_RU}\w*( \w+){{0,3}}\s*[—–-]\s*(целиком |полностью |именно )?"
               r"(наш|мо[йяеи])",
               r"(мы|я) (\w+ ){1,2}не (проверили|уследили|досмотрели|заметили|предупредили|учли)"],
    }),
    (STEPS, "impact", {
        "en": [r"(?<!\bwe )(?<!\bI )\blost (\w+ )?(business|work|income|sales|earnings|wages|"
               r"bookings|customers|clients)\b"],
        "it": [r"\b(lei (è|era) |(sia|sei|siete|siate|eri|foste) )(rimast|restat)\w* (\w+ ){0,3}"
               r"(senza|bloccat|a piedi|fuori|al buio)",
               r"\b(lavor[oi]|client[ei]|soldi|guadagn[oi]|incass[oi]|giornat[ae]|serat[ae]|"
               r"vacanz[ae]) pers[ie]\b"],
        "es": [r"\b(usted se qued[oó]|se qued[oó] usted|te quedaste|os quedasteis) (\w+ ){0,2}"
               r"sin\b"],
        "ru": [r"\b(вы|вам)\b([ ,]+\w+){1,3}[ ,]+(ждали|прождали|пришлось|потеряли|потратили|"
               r"переплатили|опоздали|разбирались|объясняли|искали|остались|не смогли|не успели)",
               r"\bвы\b[^.!?]{0,60}вынужден\w*",
               r"(?<!мы )потеряли (\w+ )?(вечер|день|время|деньги|утро|выходные|час|часы|полдня|"
               r"неделю)",
               r"\b(вы|вам) (\w+ )?(хотели|планировали|собирались|надеялись)\b"],
        "zh": [r"(您|你)[^，。]{0,4}(花|花费|耗费|搭进)了?[^，。]{0,8}(时间|精力|工夫|功夫)",
               r"占用了?(您|你)的[^，。]{0,4}(时间|精力)",
               r"(一定|肯定|想必)[^，。]{0,6}(大受|受到)影响", r"(大受|深受)影响", r"被敷衍"],
    }),
    (STEPS, "explanation", {
        "it": [r"\bcos'(è|e') successo\b"],
        "es": [r"\b(nuestro|el|la|nuestra) (sistema|servidor|programa|algoritmo|proceso|software|"
               r"aplicaci[oó]n|plataforma|filtro|control|gestor)( \w+){0,2} (no )?"
               r"(?!volvi|funcion|recuper)\w+(ó|aron|ieron)\b",
               r"\bse nos (pas[oó]|olvid[oó]|col[oó]|escap[oó]|qued[oó]|traspapel[oó]|mezcl[oó])\b",
               r"\bal (reutilizar|copiar|duplicar|usar|pasar|cargar|subir|generar|crear)\b"],
        "zh": [r"^经查", r"(没有|没|未)(按|按照)(流程|规定|要求|规范|程序)"],
    }),
    (STEPS, "remedy", {
        "it": [r"\b(le|ti|vi|gli) (mando|mandiamo|invio|inviamo|spedisco|spediamo|giro|giriamo|"
               r"faccio avere|facciamo avere)\b",
               r"\b(è|sono) tornat[oaie] (\w+ )?(regolar|attiv|disponibil|a funzionare|online|"
               r"operativ|normal)\w*",
               r"\bnon (le |ti |vi )?(verrà|verranno|sarà|saranno) (fatturat|addebitat|conteggiat)",
               r"\bnon (permette|consente|accetta|lascia) più\b",
               r"\b(abbiamo|ho|ha|hanno) (già |anche )?ripassat\w*"],
        "es": [r"(?<!no )\b(desbloqueamos|reactivamos|repusimos|rehicimos|liberamos)\b",
               r"\b(hemos|he) (ya |también )?(anotado|dejado anotado)\b",
               r"\bya no (\w+ )?(bloquea|cobra|env[ií]a|aplica|reinicia|permite|acepta|borra|"
               r"cancela)\b"],
        "zh": [r"(已|已经)(为|给|帮)[^，。！？；]{0,6}(换到|换成|调到|升到|改到)",
               r"(已|已经)(把|将)[^，。！？；]{0,20}(设为|改为|设置为|改成|调整为)",
               r"(补上|补齐|换好)了"],
    }),
    (NON_APOLOGY, None, {
        "en": [r"\bregret (that )?you (feel|felt|think|thought|were (unhappy|dissatisfied|"
               r"disappointed))\b"],
        "it": [r"\b(ci )?dispiace che (lei |tu |voi )?(abbia|abbiate|hai|ha) (avuto )?"
               r"(l'impressione|la sensazione)",
               r"\b(ci )?dispiace che (lei |tu |voi )?(pensi|pensiate|ritenga|riteniate|creda|"
               r"crediate|consideri|percepisca)\b"],
        "es": [r"\b(lamentamos|lamento|sentimos|siento) que (usted |tú )?(sienta|sientas|crea|"
               r"creas|considere|consideres|perciba|percibas|opine|opines|haya sentido|"
               r"hayas sentido|haya percibido|tenga la (impresi[oó]n|sensaci[oó]n)|tengas la "
               r"(impresi[oó]n|sensaci[oó]n))\b"],
        "ru": [r"сожалеем,? что вы (так )?(считаете|восприняли|остались недовольны|недовольны|"
               r"чувствуете|почувствовали)"],
        "zh": [r"遗憾(您|你)[^，。]{0,10}(觉得|认为|感到|感觉)",
               r"(对于|对)[^。！？]{0,12}(感受|心情)[^。！？]{0,4}(表示|深表|深感)遗憾",
               r"(带来|造成)(了)?的[^，。]{0,6}(不愉快|不便|困扰|不满)[^。]{0,10}(表示|深表|深感)遗憾"],
    }),
    (PASSIVE_WEAK, None, {
        "en": [r"\b(was|were|has been|have been|had been) (\w+ )?(configured|set up|changed|"
               r"modified|entered|updated|processed|handled|applied|installed|recorded|"
               r"labell?ed) (incorrectly|wrongly|in error|by mistake|erroneously|improperly)\b",
               r"\b(was|were) not (detected|caught|noticed|flagged|picked up) by\b"],
        "it": [r"\b(è|sono) stat[oaie] \w+[aiu]t[oaie] (per errore|erroneamente|in modo "
               r"(errat|sbagliat|scorrett|non corrett)\w*|male|in maniera (errat|sbagliat|"
               r"scorrett)\w*)",
               r"\bnon (è|sono) stat[oaie] (rilevat|notat|individuat|intercettat)\w*"],
        "es": [r"\b(fue|fueron|ha sido|han sido) \w+[ai]d[oa]s? (por error|err[oó]neamente|de "
               r"(forma|manera) (incorrecta|err[oó]nea|equivocada)|mal)\b"],
        "ru": [r"(был|была|было|были) (\w+ )?\w+н\w* (по ошибке|ошибочно|неправильно|неверно|"
               r"некорректно)", r"не (был|была|было|были) (обнаружен|замечен|выявлен)"],
        "zh": [r"被(错误|误)(地)?\S{0,2}(设置|配置|修改|录入|处理)"],
    }),
    (TRIVIALIZING, None, {
        "it": [r"\b(ha|hanno) (riguardato|colpito|interessato) (solo |soltanto )?(pochi|poche|"
               r"una piccola parte|una minoranza|una parte minima)\b",
               r"\b(maggior parte|maggioranza|quasi tutti)\b[^.]{0,40}\b(non|neanche|nemmeno|"
               r"neppure)\b[^.]{0,20}\b(accort|notat|res[oa] conto)\w*",
               r"\bsi è trattato (comunque |solo |soltanto |appena )*di (un|una) \w+ (di (poch[ie]|"
               r"qualche|pochissim\w*)|minor\w*|lieve|breve|piccol\w*)"],
        "ru": [r"большинство (\w+ ){0,5}(даже )?(не|ничего не) (заметил|почувствовал|обратил)",
               r"речь (шла|идёт|идет) (всего|лишь|только) (о|об)\b",
               r"(всего|лишь) (об )?(одн\w*|пар\w*|нескольк\w*) (сутк|час|минут|дн)"],
    }),
    (BLAME_STRONG, None, {
        "en": [r"\b(damage|delay|problem|issue|fault|mistake|error|blame|loss|breakage)( here)? "
               r"(is|was|'s|lies|rests) (entirely |all |squarely |solely |really |clearly )?"
               r"(down to|on|with) (them|the (courier|carrier|vendor|supplier|partner|airline|"
               r"hotel|bank|manufacturer|driver|restaurant|agency))\b"],
        "it": [r"\b(l'errore|la colpa|lo sbaglio|il problema|il danno|la responsabilità) (è|era|"
               r"è stat[oa]) (\w+ )?(loro|del corriere|del fornitore|della banca|del vettore)"
               r"(?=\s*([,.;:!]|$|e |non ))"],
        "es": [r"\b(el (fallo|error|problema)|la (culpa|responsabilidad)) (es|fue|ha sido) "
               r"(\w+ )?(suy[oa]|de ell[oa]s)\b"],
        "ru": [r"(вина|ошибка|ответственность)\s*[—–-]?\s*(целиком |полностью )?(их|на них)\b",
               r"(вина|ответственность|ошибка) (\w+ )?(лежит )?(целиком |полностью )?на (них|"
               r"стороне (курьер|перевозчик|поставщик|партн[её]р|банк)\w*)"],
        "zh": [r"(是|属于)(他们|对方|快递公司|物流公司|供应商|银行|第三方)(的)?"
               r"(错|责任|过错|失误|问题)"],
    }),
    (BLAME_WEAK, None, {
        "es": [r"\b(no han cumplido|no cumplieron) con\b"],
    }),
    # money sent "back to your Mastercard", a credit on the bill, bullets that begin "Added"
    (OFFER_TYPES["refund"], None, {
        "en": [r"\b(sen[dt]|put|pa(id|y)|transferr\w*|wired|moved|return\w*|credit\w*) "
               r"(\S+ ){0,8}back (to|on|into) your\b"],
    }),
    (OFFER_TYPES["voucher"], None, {
        "en": [r"\bcredited to your account\b"],
        "zh": [r"(?<![债证])券"],
    }),
    (SERVICE_CREDIT, None, {
        "en": [r"\b(days?|weeks?|months?) (\w+ ){0,4}(are|is|have been|has been|will be) "
               r"credited\b", r"\bcredit (on|to) your (\w+ )?(bill|invoice|statement)\b"],
        "zh": [r"不(向|对)[^，。；]{0,6}收(取|费)",
               r"(扣减|抵扣|减去|减掉)[^，。；]{0,8}(费用|服务费|月费|天)"],
    }),
    (OFFER_CUES, None, {
        "en": [r"^(added|credited|issued|applied|gave|given|sent|put|extended|waived|offered|"
               r"included)\b"],
    }),
]

_merge(_ROUND6)

# Perks in place of money (a card upgrade, lounge access, a data or TV bundle): typed as an
# upgrade when the sentence gives them ("per scusarci le abbiamo attivato 100 GB", "为表歉意").
PERKS: dict[str, list[str]] = {
    "en": [r"\blounge (access|pass(es)?|visits?)\b", r"\b\d+ ?gb (of )?(extra|free|bonus|"
           r"additional) (data|traffic)\b", r"\b(tv|sports|movie|streaming) (package|bundle|"
           r"pack)\b", r"\b(gold|platinum|premium) card\b"],
    "it": [r"\b\d+ ?gb (di traffico )?(extra|gratuit\w*|in più|aggiuntiv\w*|in omaggio)",
           r"\bpacchetto (premium|tv|sport|cinema)\b", r"\b(sala|lounge) (vip|business)\b",
           r"\bcarta (\w+ )?(gold|platinum|oro|platino)\b"],
    "es": [r"\b\d+ ?gb (de datos )?(extra|gratis|adicional\w*|de regalo)",
           r"\bpaquete (premium|de tv|de televisi[oó]n|de deportes)\b", r"\bsala vip\b",
           r"\btarjeta (\w+ )?(gold|oro|platino|platinum)\b"],
    "ru": [r"\d+ ?(гб|гигабайт)\w* (\w+ )?(бесплатн|дополнительн|в подарок)",
           r"(пакет|подписк)\w* (\w+ )?(тв|кино|премиум)", r"бизнес-зал",
           r"карт\w* (gold|platinum|премиум|золот|платин)"],
    "zh": [r"(白金卡|金卡|钻石卡|贵宾厅|贵宾室|流量包|会员权益)", r"\d+ ?(G|GB)流量"],
}


# Clearing the customer ("not your fault", "与您无关") counts as responsibility, but it is not
# ownership: it does not veto blame in the same sentence ("not your fault: the courier lost it").
EXONERATION: dict[str, list[str]] = {
    "en": [r"\b(not|wasn'?t|isn'?t) your fault\b", r"\bnothing you did\b"],
    "it": [r"\bnon (è|e') (stata )?colpa (sua|tua|vostra)\b"],
    "es": [r"\bno (es|fue) (culpa|responsabilidad) (suya|tuya|vuestra)\b", r"\bno tuya\b"],
    "ru": [r"не (ваша|твоя) вина", r"а не ваша\b"],
    "zh": [r"(与|和)(您|你)无关", r"不是(您|你)的(错|问题|责任)"],
}
