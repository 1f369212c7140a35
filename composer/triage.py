"""Triage: what kind of incident this is, how bad, how far along, and whether to apologize at all.

Rules decide first (phrases per language, specific categories before generic ones, then the facts
a support lead gave). When no phrase matches, weak words a support lead uses for each category
(`_STEMS`, all five languages) vote, and the retrieved cards (weighted by similarity, split among
the categories a card covers) only break ties, so an incident worded in a way no rule foresaw
still lands somewhere sensible. A guess never lands on a trivial category: saying "no apology"
needs a rule. Everything here is offline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache

from composer.incident import SEVERITIES, Incident
from composer.lang import SUPPORTED, detect_language

CATEGORIES: tuple[str, ...] = (
    "wrong_payment", "billing_error", "outage", "data_loss", "security_breach",
    "wrong_recipient", "wrong_content", "product_bug", "delivery_problem", "poor_service",
    "typo", "duplicate_send", "promo_code",
)
TRIVIAL_CATEGORIES = ("typo", "duplicate_send", "promo_code")
STAGES: tuple[str, ...] = ("investigating", "resolved", "proactive")

# Phrases per category, all five languages in each list; `_ORDER` says which is tried first.
_PATTERNS: dict[str, list[str]] = {
    "security_breach": [
        r"\b(breach|hack(ed|er|ers)?|unauthori[sz]ed|leak(ed)?|compromised|phishing|"
        r"stolen (passwords?|credentials|data)|credential stuffing|account takeovers?|"
        r"brute[- ]forc\w*|suspicious (logins?|sign[- ]?ins|access)|malware|ransomware|"
        r"(former|ex-?|disgruntled) (employee|staff|contractor|colleague)s?\b.{0,80}"
        r"\b(access|logged|exported|downloaded|copied|took)|"
        r"(data|records|details) (were |was )?(exposed|exfiltrated|scraped)|"
        r"publicly (accessible|available|visible|exposed|readable)|open (s3 )?bucket|"
        r"exposed (to|on) the (internet|web))",
        r"\b(violazione|accesso non autorizzato|accessi non autorizzati|attacco informatico|"
        r"hacker|dati rubati|credenziali rubate|furto di (dati|credenziali|account)|"
        r"(account|profil\w*|sistem\w*|server|database)\b.{0,40}\b(violat|compromess|"
        r"bucat)\w*|accessi sospetti|(ex|vecchio|un) (dipendente|collaboratore)\b.{0,80}"
        r"\b(accesso|esportat|scaricat|copiat)|(accessibil|visibil|espost|consultabil)\w* "
        r"(pubblicamente|a chiunque|tramite (un )?link pubblico|online senza))",
        r"\b(brecha|acceso no autorizado|accesos no autorizados|hackead|filtraci[oó]n|"
        r"ataque inform[aá]tico|robo de (datos|credenciales|cuentas)|credenciales robadas|"
        r"cuentas? (comprometid|vulnerad|robad)\w*|accesos sospechosos|"
        r"ex ?(empleado|trabajador|colaborador)\w*\b.{0,80}\b(acce|export|descarg|copi)|"
        r"(accesibles?|visibles?|expuest\w*|disponibles?) (p[uú]blicamente|a cualquiera|"
        r"(en|mediante|con) (un )?enlace p[uú]blico))",
        r"(взлом|утечк|несанкционированн|хакер|скомпрометирован|посторонн\w* (доступ|вход)|"
        r"кража (данных|аккаунт|парол)|украл\w* (данн|парол|базу)|"
        r"бывш\w* (сотрудник|работник)\w*.{0,80}(доступ|выгрузил|скачал|скопировал|зашёл|вош)|"
        r"(доступн|открыт|видн)\w* (\w+ )?(по публичной ссылке|всем желающим|любому)|"
        r"в открытом доступе)",
        r"(泄露|泄漏|外泄|被黑|入侵|未经授权|黑客|盗号|被盗|撞库|越权|非法(登录|访问|获取|导出)|"
        r"(前|离职)(员工|同事)[^。]{0,40}(登录|导出|下载|拷贝|复制|访问)|任何人都(能|可以)(看到|访问|下载)|"
        r"(暴露|裸露)在(公网|互联网)|公开可(访问|下载|查看))",
    ],
    "data_loss": [
        r"\b(data loss|(lost|deleted|erased|wiped|overwr\w+) ([\w']+ ){0,3}(data|files|"
        r"records|work|photos|documents|backups|notes|changes|edits|entries|history))",
        r"\b((notes|changes|edits|files|data|records|documents|entries|work) (\w+ ){0,4}"
        r"(were |was |got |been )?(overwritten|wiped out)|"
        r"(can(no|')t|could ?n[o']t|will ?n[o']t) be (recovered|retrieved)|"
        r"unrecoverabl\w*|irrecoverabl\w*|permanently (lost|deleted|gone))",
        r"\b((files|photos|data|records|documents|backups) (\w+ ){0,3}(are|were|is|was|got) "
        r"(lost|gone|deleted|erased|wiped))",
        r"\b(dati (persi|cancellati)|perso i (dati|file)|perdita (di )?dati"
        r"|(cancellat\w*|eliminat\w*|perso|pers[ie]) ([\w']+ ){0,3}(dati|file|foto|documenti|"
        r"album|archivi)\b|(dati|file|foto|documenti|album) ([\w']+ ){0,3}(sono|è|e') "
        r"(andat\w* )?(pers[ie]|cancellat\w*|eliminat\w*)|sovrascritt\w*|"
        r"(non|mai) (più )?(sono |è )?recuperabil\w*|irrecuperabil\w*|"
        r"(non|impossibile) (si )?(possono|può|riusciamo a|riuscito a)? ?recuperar)",
        r"\b(p[eé]rdida de datos|datos (perdidos|borrados)|perdimos (los )?(datos|archivos)"
        r"|(borr|elimin|perd)\w* (\w+ ){0,3}(datos|archivos|fotos|documentos|registros)\b"
        r"|(datos|archivos|fotos|documentos|registros) (\w+ ){0,3}(se )?(perdieron|borraron|"
        r"perdidos|borrados|eliminados)|sobrescrib\w*|sobreescrib\w*|sobrescrit\w*|"
        r"sobreescrit\w*|irrecuperabl\w*|no (se )?(pued\w*|pod\w*) recuperar)",
        r"(потер\w* данн|данные (удален|потерян)|удалил\w* (данные|файлы)"
        r"|(удалил|потерял|стёрл|стерл|удален|потерян)\w* (\w+ ){0,3}(данн|файл|фото|документ|"
        r"изменени|заметк)"
        r"|(данн|файл|фото|документ|заметк|запис)\w* (\w+ ){0,3}(удален|потерян|утерян|стёрт"
        r"|стерт|перезаписан|затёрт|затерт)|перезаписал\w*|безвозвратно|"
        r"(не удалось|невозможно|нельзя|не получится) восстановить (данн|файл|заметк|запис|фото|"
        r"документ))",
        r"(数据丢失|丢失了?[^，。；！？,.;]{0,12}数据|数据被删除|删除了?[^，。；！？,.;]{0,12}"
        r"(数据|文件|记录|照片)|(文件|照片|记录)丢失|(数据|文件|照片|记录)[^，。；！？,.;]{0,6}"
        r"(丢了|被删|无法恢复)|被[^，。；！？,.;]{0,16}覆盖|覆盖了?[^，。；！？,.;]{0,6}(笔记|数据|文件|记录|内容|修改)|恢复不了|无法恢复|找不回|"
        r"永久(丢失|删除))",
    ],
    "wrong_payment": [
        r"\b(wrong|incorrect) (bank )?(account|iban|recipient account)",
        r"\b(transfer|payout|withdrawal|refund|payment)s? (went|sent|paid) to (the )?wrong",
        r"\b(transfer|payout|withdrawal|refund|payment|deposit|money)s?\b.{0,60}\b(went|sent|paid|"
        r"issued|credited|transferred) (\w+ ){0,2}to (an? |the |her |his |their |its )?(old|"
        r"previous|former|closed|"
        r"another|different|wrong|someone else's|other customer's) (\w+ )?(iban|account|card|"
        r"bank|wallet)",
        r"\b(conto|iban) sbagliat|\b(bonifico|pagamento|rimborso)\b.{0,30}\bsbagliat"
        r"|\b(bonifico|pagamento|rimborso|accredito|versamento)\b.{0,60}\b(su|sul|sulla|a|al|"
        r"alla) (un |una |un')?(vecchi\w*|precedent\w*|altr\w*) (conto|iban|carta)",
        r"\bcuenta (bancaria )?(equivocada|incorrecta|err[oó]nea)"
        r"|\b(transferencia|pago|reembolso)\b.{0,30}\b(equivocad|incorrect)"
        r"|\b(transferencia|pago|reembolso|abono|ingreso)\b.{0,60}\b(a|en) (la |el |una |un )?"
        r"(cuenta|tarjeta|iban) (antigu\w*|anterior|de otr[oa]|equivocad\w*)"
        r"|\b(transferencia|pago|reembolso|abono|ingreso)\b.{0,60}\b(a|en) otr[oa] "
        r"(cuenta|tarjeta|iban)",
        r"(не на тот счёт|не на тот счет|неверный счёт|неверный счет|ошибочн\w* (перевод|счёт|счет)"
        r"|(перевод|платёж|платеж|выплат)\w*.{0,20}не (туда|тому)"
        r"|(перевод|платёж|платеж|выплат|возврат|деньги)\w*.{0,60}(на|в) (стар|прежн|чуж|друг)\w* "
        r"(сч[её]т|карт|реквизит|банк))",
        r"(转错|打错账户|错误的?(银行)?账户|汇错|(打|转|退|汇)(到|给)了?[^，。]{0,6}(另一位|另一个|别人|"
        r"其他|别的|旧的?|以前的?)[^，。]{0,10}(账户|账号|卡|支付宝|微信))",
    ],
    "billing_error": [
        r"\b(charged (\w+ ){0,3}(twice|double|two times)|double[- ]charged?|overcharg|"
        r"wrong (amount|price) (charged|billed)|billing (error|mistake)|"
        r"invoice (error|mistake)|wrong invoice|wrong (vat|tax|tax rate|currency)\b|"
        r"(vat|sales tax|tax rate)\b.{0,40}\b(instead of|wrong|incorrect|should have been)|"
        r"overbill\w*|billed (\w+ ){0,3}(twice|double|incorrectly|in error)|"
        r"charged (\w+ ){0,3}(too much|extra|incorrectly|in error|after (cancel\w*|the trial))|"
        r"paid (\w+ ){0,3}too much|(debited|charged|billed|ran (\w+ ){0,3}card|payment (was )?"
        r"(taken|processed|accepted|collected)) (\w+ ){0,4}(twice|two times)|"
        r"(accepted|took|processed|collected) (\w+ ){0,3}payments? twice|"
        r"(kept|keeps|still|continued to|went on) (being |be |getting )?(charg|bill|debit)\w*|"
        r"(charged|billed|debited|renewed) (\w+ ){0,3}after (\w+ ){0,2}(cancel\w*|unsubscrib\w*))",
        r"\b(addebitat\w* (due volte|doppio)|doppio addebito|addebito (errato|sbagliato)"
        r"|fattura (errata|sbagliata)|\biva\b.{0,40}\b(invece|sbagliat|errat|anzich)"
        r"|aliquota (iva )?(sbagliata|errata)|pagat\w* (\w+ ){0,3}in più"
        r"|addebit\w* (\w+ ){0,2}(in più|in eccesso|non dovut|per errore)"
        r"|fatturat\w* (due volte|in eccesso|per errore)|addebitat\w* .{0,30}dopo (la )?disdetta"
        r"|(pagament|addebit|incassat|riscoss)\w*.{0,40}\bdue volte|accettat\w* due volte)",
        r"\b(cobr(ad|amos|aron|é|ó)\w*.{0,30}(dos veces|doble)|doble cobro|cargo duplicado|"
        r"(pag|carg)\w* dos veces|"
        r"cobro (err[oó]neo|indebido|duplicado)"
        r"|factura (err[oó]nea|equivocada|incorrecta)"
        r"|\biva\b.{0,40}\b(en (lugar|vez) de|equivocad|incorrect|err[oó]ne)"
        r"|cobr\w* (\w+ ){0,2}de m[aá]s|pag\w* (\w+ ){0,2}de m[aá]s"
        r"|factur\w* (dos veces|de m[aá]s|por error)"
        r"|cobr\w* .{0,30}despu[eé]s de (cancelar|la baja|darse de baja))",
        r"(списал\w*.{0,30}дважды|дважды списал|двойн\w* списан|лишн\w* списан|"
        r"ошибк\w* в сч[её]те|неверн\w* сч[её]т|ндс.{0,40}(вместо|неправильн|неверн|ошибочн)|"
        r"переплат\w*|списал\w* (\w+ )?(лишн|больше)|списан\w* после (отмен|отказ|отписк)|"
        r"(оплат|плат[её]ж|списани)\w*.{0,30}(дважды|два раза)|повторн\w* (списани|платеж|платёж))",
        r"(重复扣款|扣了两次|多扣|多收|收错|扣错|重复收费|重复扣费|重复支付|支付了两次|账单错误|收费错误|发票(有误|错误|开错)"
        r"|(增值税|税率|税额)[^。，]{0,10}(错|不对)|(退订|取消)后[^。，]{0,6}(仍|还|又)?(扣|收))",
    ],
    "outage": [
        r"\b(outage|down(time)?\b|offline|unavailable|not loading|went dark|crash(ed)?\b"
        r"|(site|service|app|api|server)s? (was |were |is )?down)",
        r"\b(offline|disservizio|non (era )?raggiungibile|irraggiungibile|fuori servizio"
        r"|(sito|servizio|app)\b.{0,20}\b(gi[uù]|bloccat|non funziona))",
        r"\b(ca[ií]da|fuera de servicio|sin servicio|no disponible|inaccesible"
        r"|(sitio|servicio|web)\b.{0,20}\bca[ií]d)",
        r"(сбой|недоступ|не работал|лежал|упал\b|простоя\b|простой (\w+ )?(сервис|сайт|систем|"
        r"платформ|сервер|приложени)|час\w* простой|отключ)",
        r"(宕机|故障|服务中断|无法访问|不可用|掉线|停机)",
    ],
    "wrong_recipient": [
        r"\b(wrong (person|recipient|customer|address|contact)|sent (it )?to the wrong|"
        r"to (old|former) (contacts|customers)|wrong (list|segment)|"
        r"(sent|emailed|mailed|forwarded|shared|went|posted|exposed|attached|cc'?d)\b.{0,150}"
        r"\b(to|with) (a |an )?(different|another|other|random|unrelated|wrong) (customer|client|"
        r"user|person|recipient|account|member|tenant|patient|company|merchant|seller|buyer)s?\b|"
        r"(someone else|another (customer|client|user|tenant|patient))'s (invoice|order|data|"
        r"details|account|contract|statement|report|documents?|file)|"
        r"in (cc|to) instead of bcc|instead of bcc|wrong (inbox|mailbox))",
        r"\b(destinatario sbagliato|inviat\w* (a|al) (persone|cliente|destinatari) sbagliat"
        r"|lista sbagliata|a un'altra persona|di un'altra persona"
        r"|a (vecchi|ex|ormai ex) (contatti|clienti|iscritti|abbonati)"
        r"|(inviat|mandat|spedit|inoltrat|girat|condivis)\w*\b.{0,150}\b(a|ad|con) "
        r"(un |una |un')?altr[oaie] (client|person|utent|destinatar|inquilin|pazient|aziend|"
        r"iscritt|soci)\w*|(inviat|mandat|spedit|inoltrat)\w* per (errore|sbaglio) a"
        r"|(di|del|della) (un |una |un')?altr[oa] (client|utent|inquilin|pazient)\w*)",
        r"\b(destinatario equivocado|enviad\w* a(l)? (la )?(persona|cliente|lista) equivocad"
        r"|a otra persona|de otra persona"
        r"|a (antiguos|viejos|ex) (contactos|clientes|suscriptores|socios|miembros)"
        r"|(mand|envi|remit|reenvi|compart|mostr)\w*\b.{0,150}\b(a|con) (un |una )?"
        r"otr[oa]s? (client|person|usuari|destinatari|inquilin|pacient|empresa|soci|miembr)\w*"
        r"|(mand|envi|remit|reenvi)\w* por (error|equivocaci[oó]n) a"
        r"|de otr[oa] (client|usuari|inquilin|pacient)\w*)",
        r"(не тому (адресату|клиенту|получателю)|не тем (адресатам|клиентам|получателям)"
        r"|не по тому адресу|(бывшим|старым) (клиентам|контактам|подписчикам|участникам)"
        r"|другому (клиенту|покупателю|пользователю|человеку|адресату|получателю|арендатору|"
        r"пациенту|абоненту)|другой (клиентке|покупательнице|пользовательнице|арендаторше)"
        r"|(отправил|переслал|разослал|прислал)\w*.{0,60}(чужому|постороннему|постороннему лицу)"
        r"|не тому человеку)",
        r"(发错(了)?(人|对象|收件人)|错发给|发(给|送给|到)了?[^，。；]{0,6}(老|以前的|过去的|前)"
        r"(客户|联系人|用户|会员|订阅者)|误发|错发|发(给|到)了?(另一位|另一个|另外一位|别的|其他|别人)"
        r"|(另一位|其他|别的)(客户|用户)(收到|看到)了?)",
    ],
    "wrong_content": [
        r"\b((wrong|incorrect|outdated) ([\w-]+ ){0,2}(dates?|prices?|offers?|"
        r"links?|urls?|names?|information|info|discounts?|photos?|images?|pictures?|"
        r"descriptions?|deadlines?|attachments?|details|schedule|venue)\b|back in stock|"
        r"draft (was )?sent|sent (the |a )?draft|broken links?|dead links?|"
        r"links? (was |is )?broken|"
        r"(photo|image|picture)s? of (a |an |the )?(wrong|different|another) |"
        r"(photo|image|picture)\b.{0,60}\b(was|showed|shows) (actually |in fact |really )?"
        r"(of )?(a|an|the) (different|wrong|other)|"
        r"(date|time|day|deadline)\b.{0,40}\b(is|was) actually|wrong opening (hours|times))",
        r"\b((data|date|prezz\w*|offert\w*|link|nome|foto|immagin\w*|orari\w*|descrizion\w*)"
        r" (errat|sbagliat)|bozza inviata|link\b.{0,30}\b(rott|non funzionant)"
        r"|(foto|immagine)\b.{0,60}\b(in realtà|era quella|non era)"
        r"|(data|orario)\b.{0,40}\bin realtà)",
        r"\b((fecha|precio|oferta|enlace|nombre|foto|imagen|hora|horario|descripci[oó]n)e?s? "
        r"(err[oó]ne|equivocad|incorrect)|borrador enviado|enlace roto"
        r"|(foto|imagen)\b.{0,60}\b(en realidad|era de otr)|(fecha|hora)\b.{0,40}\ben realidad)",
        r"((неправильн|неверн|ошибочн)\w* (дат|цен|ссылк|им|предложени|фото|картинк|"
        r"изображени|врем|описани)|отправил\w* черновик|битая ссылка|не т(у|от|ой|а) "
        r"(дат|фото|картинк|цен|ссылк|врем)|(указали|написали|поставили|опубликовали)\w* "
        r"(не ту|неверн\w*|неправильн\w*|ошибочн\w*)|(дат|числ|врем|цен)\w*.{0,60}"
        r"(а|но) на самом деле)",
        r"((日期|价格|链接|优惠|名字|图片|照片|时间|配图)(写|放|用|发|标)?错|发了草稿|放错(了)?(图|照片)"
        r"|链接失效)",
    ],
    "delivery_problem": [
        r"\b(deliver(y|ed)|shipping|shipment|parcel|package|courier|order)\b.{0,40}\b(late|"
        r"delay|lost|missing|never arrived|wrong|damaged|broken)",
        r"\b(late|delayed|lost|missing|damaged) (delivery|shipment|parcel|package|order)",
        r"\b((nothing|parcel|package|order|item|box|delivery|shipment)\b.{0,30}\b(never|hasn'?t|"
        r"has not|didn'?t|did not|not yet|still hasn'?t) (\w+ )?(arrived|turned up|shown up|"
        r"showed up|come)|nothing (has |had |ever )?arrived|(marked|shows?|says|listed) (as )?"
        r"delivered|lost in (transit|the post|the mail)|stuck (in|at) (transit|customs|the depot)|"
        r"(damaged|broken|crushed) (in|during) (transit|shipping|delivery|transport)|"
        r"wrong (item|product|size|colou?r|model|variant|article|goods|parcel)s?\b|"
        r"(packaging|packing)\b.{0,60}\b(insufficient|inadequate|poor|flimsy|damaged|crushed|torn)|"
        r"(insufficient|inadequate|poor|flimsy|bad) (packaging|packing)|"
        r"arrived (\w+ )?(damaged|crushed|smashed|in pieces|soaked|torn open)|re-?ship\w*)",
        r"\b(consegna|spedizione|pacco|ordine)\b.{0,60}\b(ritard|pers|smarrit|mai arrivat|"
        r"sbagliat|danneggiat|rott)",
        r"\b((arrivat|consegnat)\w* (\w+ ){0,3}(danneggiat|ammaccat|distrutt|in pezzi|bagnat|"
        r"schiacciat)|imball\w*\b.{0,60}\b(insufficient|inadeguat|scars|danneggiat|rott)|"
        r"(danneggiat|rott)\w* (durante il|nel) (trasporto|viaggio|spedizione)|"
        r"(prodotto|articolo|modello|taglia|colore|pezzo) sbagliat|mai (arrivat|consegnat)|"
        r"non (è|e'|sono) (mai |ancora )?(arrivat|stat\w* consegnat)|"
        r"(risulta|segnat\w* come|indicat\w* come) consegnat|rispedi\w*)",
        r"\b(entrega|env[ií]o|paquete|pedido)\b.{0,60}\b(retras|perdid|nunca lleg|equivocad|"
        r"dañad|rot)",
        r"\b((lleg|entreg)\w* (\w+ ){0,3}(dañad|aplastad|destrozad|mojad|abiert)|"
        r"embalaje\b.{0,60}\b(insuficient|inadecuad|mal|dañad|rot)|"
        r"(dañad|rot)\w* (durante el|en el) (transporte|env[ií]o)|"
        r"(producto|art[ií]culo|modelo|talla|color) (equivocad|incorrect|err[oó]ne)|"
        r"nunca (lleg|se entreg)|no (ha )?lleg\w* nunca|(figura|aparece|marcad\w*) como entregad|"
        r"reenv[ií]\w* el pedido)",
        r"((доставк|посылк|заказ)\w*.{0,30}(задерж|опозд|потерял|не пришл|не доставл|повреж"
        r"|не тот))|(потерял\w*|повредил\w*|задержал\w*).{0,20}(заказ|посылк)|курьер",
        r"((привезли|доставили|выдали|упаковали|пришл\w*|пришёл) не т(у|от|о|е|ой|а)\b|"
        r"не тот (товар|размер|цвет|модел)|не того (размера|цвета)|"
        r"перепутал\w*.{0,40}(склад|заказ|посылк|товар|комплектац)|"
        r"(пришл\w*|пришёл|доставлен\w*|привезли) (\w+ ){0,3}(разбит|поврежд|помят|мокр)|"
        r"упаковк\w*.{0,40}(плох|недостаточн|поврежд|порван)|"
        r"(отмечен\w*|числится|значится|статус)\w*.{0,20}доставлен|так и не (пришл|пришёл|"
        r"доставил|привезл))",
        r"((快递|包裹|订单|配送|发货)\S{0,10}(延误|延迟|丢失|弄丢|丢了|没到|未送达|发错|送错|损坏))",
        r"(发错货|发错了?(商品|型号|颜色|尺码|款)|送错了?(商品|货|地址)|显示已?(签收|送达)|"
        r"(没|未)收到(货|包裹|快递)|(运输|路上)[^。，]{0,6}(损坏|摔坏|压坏)|"
        r"包装[^。，]{0,10}(不足|太差|破损|简陋)|(到货|收到)[^。，]{0,10}(破了|碎了|摔坏|压坏|破损)|补发(货|商品|包裹|快递))",
    ],
    "product_bug": [
        r"\b(bug|glitch|broken feature|crash(es)?|error message|doesn'?t work|stopped working|"
        r"not working|broken|defective|faulty|cracked|shattered|smashed|dented|freez(es|ing)|froze|"
        r"(can'?t|cannot|can not|unable to|could ?n[o']t) (export|import|log ?in|sign ?in|save|"
        r"upload|download|open|sync|print|pay|check ?out|submit|edit|attach|share|search|book|"
        r"reset)\b|(app|application|page|screen|site|window)\b.{0,30}\b(closes|quits|shuts down|"
        r"freezes|hangs|goes blank)|blank (page|screen)|white screen|regression|"
        r"(page|screen|button|form|tab|feature)\b.{0,30}\b(doesn'?t|does not|won'?t|will not) "
        r"(load|open|respond|work|show))",
        r"\b(bug|difett|non funziona|smesso di funzionare|rott|errore nell'app|si blocca|"
        r"va in crash|crasha|incrinat|scheggiat|non (riesce|riescono|può|possono) (più )?(a )?"
        r"(esportare|accedere|salvare|caricare|scaricare|aprire|pagare|sincronizzare|allegare|"
        r"condividere|stampare|inviare)|si chiude (da sola|appena|quando|all'improvviso|subito)|"
        r"(app|applicazione)\b.{0,30}\bsi chiude|(schermata|pagina) (bianca|vuota)|"
        r"regressione|non si (apre|carica))",
        r"\b(bug|fallo|error en la app|no funciona|dej[oó] de funcionar|defectuos|se cuelga|"
        r"se cierra sola|se bloquea|agrietad|rajad|no (puede|pueden|pod[ií]a|consigue|logra) "
        r"(\w+ )?(iniciar sesi[oó]n|entrar|exportar|guardar|subir|descargar|abrir|acceder|pagar|"
        r"sincronizar|adjuntar|compartir|imprimir|enviar)|se cierra (sola|al|cuando|de golpe)|"
        r"pantalla (en blanco|blanca|vac[ií]a)|p[aá]gina (en blanco|vac[ií]a)|regresi[oó]n|"
        r"no se (abre|carga))",
        r"(баг|ошибк\w* в (приложени|программ)|не работает|перестал\w* работать|сломал|брак"
        r"|вылета\w*|зависа\w*|глючит|тресну\w*|не (может|могут|получается) (\w+ )?(войти|"
        r"выгрузить|экспортировать|сохранить|загрузить|оплатить|открыть|прикрепить|отправить)"
        r"|(закрывается|вылетает|падает|зависает) (при|когда|сразу)|бел\w* экран|"
        r"пуст\w* (экран|страниц)|не (открывается|загружается|грузится)|регресси)",
        r"(bug|漏洞|闪退|崩溃|不能用|无法使用|出错|坏了|没法用|用不了|打不开|裂了|碎了"
        r"|无法(登录|导出|保存|上传|下载|打开|支付|添加|分享)|白屏|黑屏|页面空白|一直转圈|加载不出来|卡死)",
    ],
    "poor_service": [
        r"\b(rude|unhelpful|ignored|no (reply|response|answer)|waited (days|weeks|hours)|"
        r"slow (support|reply|response)|poor (service|support)|unheard|"
        r"(weren'?t|were not|not) listening|"
        r"no (human|one|agent|person)\b.{0,20}\b(ever )?(answered|replied|responded|got back)|"
        r"nobody (ever )?(answered|replied|responded|got back|picked up)|auto-?closed|"
        r"closed (the |his |her |their |my |our )?(ticket|chat|case|conversation|request)s? "
        r"(without|on (him|her|them))|without (an |a |any )?(answer|reply|response)|"
        r"(canned|copy-?pasted?|scripted|templated?|boilerplate) (answers|replies|responses)|"
        r"kept (him|her|them) (waiting|on hold)|on hold for|hung up|is anyone there|"
        r"bounced (\w+ )?between|(agent|rep|operator|advisor)\b.{0,40}\b(dismissive|"
        r"condescending|impatient))",
        r"\b(scortes|maleducat|nessuna risposta|senza risposta|"
        r"non (ha )?ricev\w* (una )?risposta|ignorat|attesa (di )?(giorni|settimane)|"
        r"servizio (scadente|pessimo)|inascoltat|non (li |ci )?(abbiamo )?ascoltat|"
        r"nessuno (gli |le |ci )?(ha )?(mai )?(rispost|richiamat)|"
        r"chius\w* (il |la )?(ticket|chat|pratica|richiesta|segnalazione) senza|"
        r"chius\w* automaticamente|risposte (preconfezionate|standard|automatiche|copia)|"
        r"lasciat\w* in attesa|in attesa per (ore|giorni|\d+)|riattaccat|"
        r"operatore\b.{0,40}\b(scortese|sgarbat|sbrigativ)|rimbalzat)",
        r"\b(grosero|maleducad|sin respuesta|no recib\w* (ninguna )?respuesta|ignorad|"
        r"esper[oó] (d[ií]as|semanas)|mal servicio|"
        r"mala atenci[oó]n|no (los |les |nos )?(hemos )?escuch\w*|"
        r"nadie (le |les |nos )?(ha )?(respondi|contest|atendi)|"
        r"cerr\w* (el |la )?(ticket|chat|caso|solicitud|incidencia) sin|"
        r"cerr\w* autom[aá]ticamente|"
        r"respuestas (de plantilla|enlatadas|autom[aá]ticas|gen[eé]ricas)|"
        r"(le|lo|la|les) (dej|tuv)\w* esperando|en espera (durante|por)|"
        r"colg\w* (la llamada|el tel)|"
        r"agente\b.{0,40}\b(borde|desagradable|despectiv))",
        r"(грубо|хамств|не ответил|без ответа|игнорир|ждал\w* (дни|недел)|плох\w* обслуживан"
        r"|не слыша\w*|не слушал\w*|так и не ответ|никто не ответил|не ответив|"
        r"закрыл\w* (чат|тикет|обращени|заявк|диалог)|автоматически закрыл|отвечал\w* шаблон|"
        r"шаблонн\w* ответ|отписк\w*|бросил\w* трубку|(оператор|сотрудник|менеджер|консультант)"
        r"\w*.{0,40}(груб|хамил|нагруб|не помог)|держал\w* на линии|ждал\w* ответа)",
        r"(态度差|不理|没人回复|没有回复|等了(几|好几)?(天|周)|服务差|没在听|不听|没人(理|回|接)"
        r"|没有人(回复|回答|理)|一直没人?(回复|回|理)|自动关闭|关闭了?(工单|对话|聊天|会话)"
        r"|(工单|对话|聊天|会话)[^。，]{0,10}(被)?关闭|敷衍|模板(回复|话术)|挂(了|断)电话|推诿|踢皮球"
        r"|答非所问)",
    ],
    "duplicate_send": [
        r"\b(duplicate|double)[- ]?(send|sent|email|mail|newsletter|message)",
        r"\b(sent|send|went out|delivered|mailed|arrived|received)\b.{0,30}"
        r"\b(twice|two times|2 times)\b",
        r"\b(inviat\w*|invi\w*|spedit\w*|partit\w*|arrivat\w*|mandat\w*)\b.{0,30}\bdue volte\b"
        r"|\bdoppio invio\b",
        r"\b(envi\w*|mand\w*|lleg\w*|recib\w*)\b.{0,30}\bdos veces\b|\benv[ií]o duplicado\b",
        r"(отправил\w*|отправлен\w*|разослал\w*|разослан\w*|пришл\w*|ушл\w*)\b.{0,30}"
        r"(дважды|два раза)|дубл\w* (рассылк|письм)|повторн\w* (рассылк|отправк)",
        r"(发了两次|重复发送|发送了两次|重复发了|发(送)?了?两遍|收到了?两(封|次))",
    ],
    "typo": [
        r"\b(typos?\b|misspel|mis-?spelt|spelling|grammar (mistake|error)|grammatical (mistake|"
        r"error)|typing (error|mistake)|(no|missing|stray|wrong|misplaced) (an? )?(apostrophe|"
        r"accent|letter)|(letters?|words?) (were |was )?(swapped|transposed|missing))",
        r"\b(refus[oi]|errore di battitura|errori? (di )?(ortografi|battitura)|errori ortografici|"
        r"lettera (mancante|sbagliata|in più)|manca(va)? (una|la) lettera|apostrofo|"
        r"accento sbagliato)",
        r"\b(errata|erratas|error(es)? (tipogr[aá]fico|de tipeo|ortogr[aá]fico|de escritura|"
        r"de dedo)|faltas? de ortograf[ií]a|letra (de m[aá]s|que falta|cambiada))",
        r"(опечатк|орфографическ\w* ошибк|ошибк\w* в (слове|написании)|"
        r"(пропущен|лишн|переставлен)\w* букв)",
        r"(错别字|错字|拼写错误|笔误|打错字|打错了?一个字|错打成|打成了?[“\"「]|敲错)",
        # a quoted word "instead of" another quoted word: the classic slip, in every language
        r"[\"“«„「][^\"“”«»„「」]{1,40}[\"”»“」] ?(instead of|rather than|invece di|anzich[eé]|"
        r"al posto di|en (lugar|vez) de|вместо) ?[\"“«„「]",
    ],
    "promo_code": [
        r"\b((promo|discount|coupon|voucher|referral|gift|offer|checkout|welcome|sale|"
        r"promotional) codes?|promocodes?|coupons?)\b",
        r"\b(codic\w* (promo|promozionale|sconto|coupon|regalo)|coupon|buon[oi] sconto)\b",
        r"\b(c[oó]digos? (promocional\w*|de descuento|de cup[oó]n|de regalo|promo)|cup[oó]n\w*|"
        r"vales? de descuento)\b",
        r"(промокод|купон|скидочн\w* код|код\w* (на )?скидк)",
        r"(优惠码|折扣码|优惠券|兑换码|优惠代码|促销码|折扣代码|券码)",
        # a code-like token (WELCOME15, VERANO-10) next to the word "code" in any language
        r"(\b(code|codice|c[oó]digo)|код|码)\W{0,3}(?-i:[A-Z]{3,}-?\d{1,3})\b"
        r"|\b(?-i:[A-Z]{3,}-?\d{1,3}) (code|codice|c[oó]digo)\b",
    ],
}

_BASE_SEVERITY: dict[str, str] = {
    "wrong_payment": "high", "billing_error": "medium", "outage": "medium", "data_loss": "high",
    "security_breach": "critical", "wrong_recipient": "medium", "wrong_content": "low",
    "product_bug": "medium", "delivery_problem": "medium", "poor_service": "low",
    "typo": "trivial", "duplicate_send": "trivial", "promo_code": "trivial",
}

# Hours or days of outage, or "all customers", make an incident high (rule.severity-levels).
# Only scope counts for a bug or a delivery: "the fix takes 2-3 days" is an ETA, not impact.
_LONG = [
    r"\b(hours|days|whole day)\b",
    r"\b(ore|giorni|intera giornata)\b",
    r"\b(horas|d[ií]as)\b",
    r"(час|дн(я|ей)|сутки)",
    r"(小时|整天|几天)",
]
_WIDE = [
    r"\b(all (customers|users)|everyone|production|whole site)\b",
    r"\b(tutti i clienti)\b",
    r"\b(todos los clientes)\b",
    r"(все клиенты|всех клиентов)",
    r"(所有(客户|用户))",
]
_SYSTEMIC = [
    r"\b(again|every time|keeps? happening|repeatedly|once more|third time|second time)\b",
    r"\b(di nuovo|ancora una volta|ogni volta|seconda volta|terza volta)\b",
    r"\b(otra vez|de nuevo|cada vez|segunda vez|tercera vez)\b",
    r"(снова|опять|каждый раз|второй раз|третий раз|в очередной раз)",
    r"(又|再次|每次|第二次|第三次)",
]
_INVESTIGATING = [
    r"\b(still|investigating|looking into|ongoing|not (yet )?(fixed|resolved)|no fix yet|"
    r"unknown cause|right now|is down|are down)\b",
    r"\b(ancora|stiamo (verificando|indagando)|in corso|non ancora risolt)",
    r"\b(todav[ií]a|a[uú]n|investigando|en curso|sin resolver)",
    r"(вс[её] ещ[её]|до сих пор|выясняем|разбираемся|продолжается)",
    r"(仍|还在|正在(调查|处理|排查)|尚未(修复|解决))",
]
_RESOLVED = [
    r"\b(fixed|resolved|restored|back (up|online)|was down for|were down for|recovered|"
    r"corrected|refunded)\b",
    r"\b(risolt|ripristinat|sistemat|(è|e') (rimasto|stato) (offline|gi[uù]) per|per \w+ ore)",
    r"\b(resuelt|restablecid|solucionad|corregid|estuvo (ca[ií]d|fuera))",
    r"(исправ|восстановл|устранен|не работал\w* (\d+|два|три|несколько))",
    r"(已(修复|恢复|解决)|恢复了|修好了|(宕机|中断|故障|停机)了?[^，。]{0,4}小时)",
]

# Data a stranger must never see: an email with it sent to the wrong person is a privacy breach,
# not a misdirected newsletter (rule.severity-levels: "security" is high or critical).
_SENSITIVE = [
    r"\b(medical|health|diagnos\w*|lab results?|test results?|prescription|bank (details|"
    r"statement)|passport|salary|payslip|pay slip|tax return|social security|password|"
    r"id card|identity card|patients?|card (number|details)|last (4|four) digits|"
    r"\d[\d,.]{2,} (names|emails|records|customers|contacts|users))",
    r"\b(medic\w*|sanitari\w*|referto|referti|analisi del sangue|diagnosi|ricetta|"
    r"estratto conto|dati bancari|passaporto|stipendio|busta paga|password|carta d'identit|"
    r"pazient\w*|numero di carta|\d[\d.]{2,} (nomi|email|clienti|record))",
    r"\b(m[eé]dic\w*|salud|diagn[oó]stico|an[aá]lisis cl[ií]nic|receta|extracto bancario|"
    r"datos bancarios|pasaporte|n[oó]mina|salario|contraseña|dni|pacientes?|"
    r"n[uú]mero de tarjeta|\d[\d.]{2,} (nombres|correos|clientes|registros))",
    r"(медицинск|анализ\w* (крови|мочи)|диагноз|рецепт|выписк|банковск\w* (данн|реквизит)|"
    r"паспорт|зарплат|пароль|справк|пациент|номер\w* карт|\d[\d ]{2,} (имён|имен|адрес|"
    r"клиент|запис))",
    r"(体检|病历|诊断|化验|医疗|检查报告|处方|身份证|护照|工资|银行卡|银行账户|密码|流水|病人|患者|卡号|"
    r"\d{3,} ?(名|位|个)(客户|用户|患者))",
]
# A typo that changes a price (an amount, a currency figure) is a factual error: people may buy
# or pay on it, so it needs a correction with an apology, not a quiet fix (the exception in
# rule.when-not-to-apologize). A wrong date stays a correction line in the next mailing unless
# the user raises the severity (the advice says how).
_FACT_CHANGED = [
    r"(\b(price[sd]?|pricing|amount|cost|fee)\b|\d+\s?(eur|usd|gbp|€|\$|£)|[€$£]\s?\d)",
    r"(\b(prezz\w*|importo|costo|tariff\w*)\b|\d+\s?(eur|euro|€))",
    r"(\b(precio\w*|importe|coste|costo|tarifa)\b|\d+\s?(eur|euros?|€))",
    r"(цен\w*|сумм\w*|стоимост|тариф|\d+\s?(руб|₽|eur|€))",
    r"(价格|金额|价钱|费用|\d+\s?(元|欧|美元))",
]

# ...unless the incident says the prices were right ("links, dates and prices all correct").
_FACTS_CORRECT = [
    r"\b(price[sd]?|pricing|amounts?|costs?)\b[^.;!?]{0,40}\b(all |were |are |is |was )?"
    r"(correct|right|fine|ok|okay|accurate|unchanged)\b",
    r"\b(prezz\w*|importi|costi)\b[^.;!?]{0,40}\b(giust|corrett|a posto)",
    r"\b(precios?|importes?)\b[^.;!?]{0,40}\b(correct|bien|estaban bien)",
    r"(цен\w*|сумм\w*)[^.;!?]{0,40}(правильн|верн|в порядке)",
    r"(价格|金额)[^。；！？]{0,6}(都)?(没错|正确|没问题|对的)",
]

ADVICE_CARD = "rule.when-not-to-apologize"


@dataclass
class Triage:
    """The decisions that shape the email: each field says what, `reasons` say why."""

    category: str
    severity: str
    stage: str
    should_apologize: bool
    language: str
    advice: str | None = None
    reasons: list[str] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


_SIGNALS: dict[str, list[str]] = {
    "long": _LONG, "wide": _WIDE, "sensitive": _SENSITIVE, "fact_changed": _FACT_CHANGED,
    "facts_correct": _FACTS_CORRECT,
    "systemic": _SYSTEMIC, "investigating": _INVESTIGATING,
    "resolved": _RESOLVED, **_PATTERNS,
}


def _signals(name: str) -> list[str]:
    if name.startswith("stems:"):
        return _STEMS[name.removeprefix("stems:")]
    if name == "app_broken":
        return _APP_BROKEN
    return _SIGNALS[name]


@cache
def _compiled(name: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in _signals(name))


def _matches(name: str, text: str) -> str | None:
    """The first phrase of the named table found in `text`, or None."""
    for pattern in _compiled(name):
        found = pattern.search(text)
        if found:
            return found.group(0)
    return None


# A coupon or code the sender means to give as a remedy ("we'd like to offer a discount code")
# is the compensation, not the incident.
_OFFERED = re.compile(
    r"(offer|give|giving|send (him|her|them|you)|gift|compensat|as an apology|goodwill|"
    r"offri|regal|omaggi|ofrec|ofert|compens|предлож|подар|компенс|补偿|赠送|送(给|他|她|一))"
    r"[^.;:!?。；！？]{0,30}$", re.IGNORECASE)


def _promo_slip(text: str) -> str | None:
    """A promo-code phrase in `text` that is about the incident, not an offered remedy."""
    for pattern in _compiled("promo_code"):
        for found in pattern.finditer(text):
            if not _OFFERED.search(text[max(0, found.start() - 40):found.start()]):
                return found.group(0)
    return None


# Specific before generic: a promo code that "did not work" is not an outage, and a named typo
# ("typo", a quoted word instead of another) is not wrong content.
_ORDER = (
    "security_breach", "data_loss", "wrong_payment", "billing_error", "promo_code",
    "duplicate_send", "outage", "wrong_recipient", "typo", "wrong_content", "delivery_problem",
    "product_bug", "poor_service",
)

# The app itself broken (a crash, a blank screen) where a promo code or coupon is only the
# place it happens: a product bug, not a promo-code slip.
_APP_BROKEN = [
    r"\b(crash\w*|blank (page|screen)|white screen|freez\w*|(page|screen|app)\b.{0,30}\b"
    r"(won'?t|doesn'?t|does not|will not) (load|open))",
    r"\b(si chiude|va in crash|crasha|(schermata|pagina) (bianca|vuota)|non si (apre|carica))",
    r"\b(se cierra|se cuelga|pantalla (en blanco|blanca)|p[aá]gina (en blanco|vac[ií]a)|"
    r"no (se )?(abre|carga))",
    r"(вылета\w*|зависа\w*|бел\w* экран|пуст\w* (экран|страниц)|не (открывается|загружается))",
    r"(白屏|黑屏|闪退|崩溃|页面空白|打不开|加载不出来|卡死)",
]

# When no rule matches: weak words a support lead uses for each category, all five languages.
# Each distinct stem found is one vote; the retrieved cards only break ties.
_STEMS: dict[str, list[str]] = {
    "wrong_payment": [
        r"\b(iban|bank details|payouts?|coordinate bancarie|datos bancarios)\b",
        r"(реквизит|收款账户)"],
    "billing_error": [
        r"\b(invoices?|billed|billing|charged|overcharg\w*|vat|fees?|fattur\w*|addebit\w*|iva|"
        r"bollett\w*|commission\w*|factur\w*|cobr\w*|recibo|comisi[oó]n\w*|transfer|"
        r"bonifico|transferencia|refunds?|rimbors\w*|reembols\w*)\b",
        r"(сч[её]т-фактур|списан|ндс|квитанц|комисси|перевод|возврат|账单|扣款|发票|收费|转账|汇款|退款)"],
    "outage": [
        r"\b(down|outage|unreachable|offline|status page|timeouts?|50[234]|irraggiungibil\w*|"
        r"disservizi\w*|guast\w*|ca[ií]d[ao]|interrupci[oó]n)\b",
        r"(недоступ|лежал|перебо|сбо[йя]|宕机|中断|访问不了|服务器)"],
    "data_loss": [
        r"\b(deleted|wiped|overwr\w+|backups?|sovrascri\w*|borrad\w*|copia de seguridad)\b",
        r"(удал[её]н|резервн\w* копи|перезапис|删除|备份|找回)"],
    "security_breach": [
        r"\b(attackers?|suspicious|exposed|intrusion|fraudsters?|attacc\w*|sospett\w*|"
        r"ataque|sospechos\w*|estafador\w*)\b",
        r"(злоумышленн|подозрительн|мошенник|盗|诈骗|泄|攻击|可疑)"],
    "wrong_recipient": [
        r"\b(another (customer|client|person)|different (customer|client|person)|someone else|"
        r"wrong address|un altro cliente|un'altra persona|otro cliente|otra persona)\b",
        r"(другому|чужо|另一位|别人|其他客户|误发)"],
    "wrong_content": [
        r"\b(actually|in realtà|en realidad|newsletter|mailing|announcement|campaign|"
        r"annuncio|bolet[ií]n|anuncio)\b",
        r"(на самом деле|рассылк|анонс|写错|公告|通讯|推送)"],
    "product_bug": [
        r"\b(app|bug|crash\w*|error|release|update|version|regression|feature|button|screen|"
        r"aggiornamento|versione|schermata|actualizaci[oó]n|versi[oó]n|pantalla)\b",
        r"(приложени|верси|обновлени|экран|кнопк|版本|更新|页面|按钮|闪退|功能)"],
    "delivery_problem": [
        r"\b(parcel|package|courier|tracking|shipment|shipping|delivered|arrived|warehouse|"
        r"pacco|corriere|spedizion\w*|consegn\w*|magazzino|paquete|mensajer\w*|env[ií]o|"
        r"entreg\w*|almac[eé]n)\b",
        r"(посылк|курьер|доставк|доставил|склад|привез|快递|包裹|物流|配送|仓库|发货|签收)"],
    "poor_service": [
        r"\b(agent|support|ticket|chat|waited|waiting|operator|on hold|rude|operatore|"
        r"assistenza|attesa|agente|soporte|espera)\b",
        r"(оператор|поддержк|тикет|обращени|ждал|客服|工单|等待|态度|回复)"],
    "typo": [
        r"\b(typo|spelling|spelt|apostrophe|grammar|refuso|ortografi\w*|ortogr[aá]f\w*)\b",
        r"(опечат|орфограф|букв|错别字|错字|打成)"],
    "duplicate_send": [
        r"\b(twice|duplicate\w*|two copies|due volte|doppi\w*|dos veces|duplicad\w*)\b",
        r"(дважды|два раза|дубл|两次|两遍|重复)"],
    "promo_code": [
        r"\b(codes?|coupons?|vouchers?|promo|codice|sconto|c[oó]digo|cup[oó]n|descuento)\b",
        r"(промокод|купон|скидк|优惠|折扣|券|码)"],
}


def classify(text: str, hits: Sequence = ()) -> tuple[str, str]:
    """The category and why: the first rule that matches, else a vote of the retrieved cards."""
    for category in _ORDER:
        found = _promo_slip(text) if category == "promo_code" else _matches(category, text)
        if found:
            broken = _matches("app_broken", text) if category == "promo_code" else None
            if broken:
                return "product_bug", (
                    f"category product_bug: the incident says {found.strip()!r}, but "
                    f"{broken.strip()!r} says the app itself is broken, not the code"
                )
            return category, f"category {category}: the incident says {found.strip()!r}"
    # A guess never lands on a trivial category: "no apology" needs a rule that says so.
    guesses = [c for c in _ORDER if c not in TRIVIAL_CATEGORIES]
    stems = {c: _stems_in(c, text) for c in guesses}
    votes = {c: v for c, v in _card_votes(hits).items() if c in guesses}
    total = sum(votes.values()) or 1.0
    # Stems count one each; the cards' share (at most 1 in all) only breaks ties.
    score = {c: len(stems[c]) + votes.get(c, 0.0) / total for c in guesses}
    best = max(guesses, key=lambda c: score[c])
    if stems[best]:
        words = ", ".join(repr(w) for w in sorted(stems[best]))
        return best, f"category {best}: no rule matched; the incident's words point to it ({words})"
    if votes:
        ids = ", ".join(h.card.id for h in hits if best in h.card.categories)
        return best, f"category {best}: no rule matched; the closest cards vote for it ({ids})"
    return "product_bug", "category product_bug: no rule matched and no card voted; the default"


def _stems_in(category: str, text: str) -> set[str]:
    return {m.group(0).lower() for pattern in _compiled(f"stems:{category}")
            for m in pattern.finditer(text)}


def _card_votes(hits: Sequence) -> dict[str, float]:
    """Similarity-weighted votes, split among a card's categories: a card about five categories
    says less about each than a card about one; cards for "any" do not vote."""
    votes: dict[str, float] = {}
    for hit in hits:
        named = [c for c in hit.card.categories if c in CATEGORIES]
        for category in named:
            votes[category] = votes.get(category, 0.0) + max(hit.score, 0.0) / len(named)
    return votes


def is_systemic(incident: Incident) -> bool:
    return incident.prior_failures > 0 or _matches("systemic", incident.text) is not None


def _bump(severity: str, levels: int = 1) -> str:
    return SEVERITIES[min(SEVERITIES.index(severity) + levels, len(SEVERITIES) - 1)]


def grade(incident: Incident, category: str) -> tuple[str, list[str]]:
    """Severity from the category, raised by long or wide impact, big losses and repeats."""
    if incident.severity:
        return incident.severity, [f"severity {incident.severity}: set by the user"]
    severity = _BASE_SEVERITY[category]
    reasons = [f"severity starts at {severity} for {category} (rule.severity-levels)"]
    if severity == "trivial":
        return severity, reasons
    wide = _matches("wide", incident.text)
    if category in ("outage", "data_loss"):
        wide = wide or _matches("long", incident.text)
    if wide and category in ("outage", "product_bug", "delivery_problem", "data_loss"):
        raised = _bump(severity)
        if raised != severity:
            reasons.append(f"raised to {raised}: {wide.strip()!r} means long or wide impact")
            severity = raised
    loss = incident.loss
    if loss is not None:
        floor = "medium"
        if loss.is_money and loss.amount >= Decimal(1000):
            floor = "high"
        long_wait = loss.unit == "days" or (loss.unit == "hours" and loss.amount >= 4)
        if not loss.is_money and long_wait:
            floor = "high"
        if SEVERITIES.index(severity) < SEVERITIES.index(floor):
            reasons.append(f"raised to {floor}: the customer lost {loss}")
            severity = floor
    sensitive = _matches("sensitive", incident.text)
    if sensitive and category == "wrong_recipient" and SEVERITIES.index(severity) < 3:
        reasons.append(
            f"raised to high: {sensitive.strip()!r} is sensitive data that reached a stranger, "
            "a privacy breach (rule.severity-levels)"
        )
        severity = "high"
    if incident.prior_failures > 0:
        raised = _bump(severity)
        reasons.append(
            f"raised to {raised}: {incident.prior_failures} earlier failure(s) for this customer "
            "(a repeat moves an incident up one level, rule.severity-levels)"
        )
        severity = raised
    return severity, reasons


def stage_of(incident: Incident) -> tuple[str, str]:
    if incident.channel in ("proactive", "newsletter"):
        return "proactive", f"stage proactive: the channel is {incident.channel}"
    if incident.fix_status == "fixed":
        return "resolved", "stage resolved: fix status is fixed"
    if incident.fix_status == "investigating":
        return "investigating", "stage investigating: fix status is investigating"
    if _matches("investigating", incident.text):
        return "investigating", "stage investigating: the incident says it is still open"
    if _matches("resolved", incident.text):
        return "resolved", "stage resolved: the incident says it is over"
    return "investigating", (
        "stage investigating: nothing says it is fixed, so the draft promises an update rather "
        "than claiming a fix (say --fact fix_status=fixed if it is)"
    )


def output_language(incident: Incident, override: str | None = None) -> tuple[str, str]:
    if override:
        return override, f"language {override}: set by the user"
    if incident.language:
        return incident.language, f"language {incident.language}: set on the incident"
    detected = detect_language(incident.text)
    if detected in SUPPORTED:
        return detected, f"language {detected}: detected from the incident text"
    return "en", f"language en: the incident's language ({detected or 'unknown'}) is not supported"


def triage(incident: Incident, hits: Sequence = (), language: str | None = None) -> Triage:
    """Decide category, severity, stage, language and whether a standalone apology is due."""
    category, why_category = classify(incident.text, hits)
    changed = _matches("fact_changed", incident.text) if category == "typo" else None
    if changed and _matches("facts_correct", incident.text):
        changed = None
    if changed and not incident.severity:
        category = "wrong_content"
        why_category += (
            f"; but {changed.strip()!r} says the typo changed a price, so it is wrong content "
            f"that needs a correction ({ADVICE_CARD}, its exception)"
        )
    severity, why_severity = grade(incident, category)
    stage, why_stage = stage_of(incident)
    lang, why_lang = output_language(incident, language)
    reasons = [why_category, *why_severity, why_stage, why_lang]
    cards = ["rule.severity-levels"]
    should = severity != "trivial"
    advice = None
    if not should:
        advice = NO_APOLOGY_ADVICE.get(category, NO_APOLOGY_ADVICE["default"])
        reasons.append(f"no standalone apology: a trivial error ({ADVICE_CARD})")
        cards.append(ADVICE_CARD)
    elif category in TRIVIAL_CATEGORIES:
        reasons.append(
            f"apology due although {category} is usually trivial: severity is {severity}"
        )
        cards.append("rule.when-to-apologize")
    return Triage(category, severity, stage, should, lang, advice, reasons, cards)


NO_APOLOGY_ADVICE: dict[str, str] = {
    "duplicate_send": (
        "No standalone apology: a third email about a duplicate makes things worse. If you want "
        "to acknowledge it, add one line to the next regular mailing."
    ),
    "typo": (
        "No standalone apology: fix the typo where you can (web version, landing page) and "
        "proofread the next one. If the typo changed a fact (a date, an offer), it is a "
        "factual error: rerun with --severity low to write a correction (a changed price is "
        "treated as one already)."
    ),
    "promo_code": (
        "No standalone apology: make the mistyped code valid (or replace it), and answer "
        "individually anyone who writes in about it."
    ),
    "default": (
        "No standalone apology: fix it quietly, or add a line to the next regular mailing."
    ),
}
