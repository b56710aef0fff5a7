"""The words extraction recognises, in every language it reads: defined once, here.

Each entry is the source of a regular-expression alternation (or a tuple of words) without
its anchors and flags: the module that uses it adds those (whole token, line start, whole
line...), so one list can serve several tests. Where two tests of the same idea use
different words, both lists stand here side by side, with the reason; they were copies that
drifted apart, and unifying them changed what the extractor keeps on the corpus.

To add a language: add its words to the lists of the tests that should know them, and check
the corpus floors (`tests/test_corpus_quality.py`) and `benchmarks/extraction.py`.
"""

from __future__ import annotations

# --- Scripts ----------------------------------------------------------------------------------

# Kana, CJK ideographs and Hangul: text measured in characters rather than words.
CJK_CHARS = r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]"
HAN = r"[\u4e00-\u9fff]"  # Chinese characters (also in Japanese)
KANA = r"[\u3040-\u30ff]"  # Japanese syllabaries: a title with kana is not Chinese

# --- Dates ------------------------------------------------------------------------------------

# Month names by their first letters: en, de, fr, es, it, pt, nl, sv ("mär", "déc", "giu").
MONTHS = (
    r"(?:jan|feb|fév|fev|mär|maer|mar|apr|avr|abr|mai|may|mag|jun|jui|giu|jul|lug|aug|aoû|aou|"
    r"ago|sep|set|okt|oct|ott|nov|dez|dec|déc|dic)"
)
# Weekday names that open a dateline ("segunda-feira, 22 de janeiro de 2018 às 0:13").
WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|"
    r"donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|mercoledì|giovedì|"
    r"venerdì|sabato|domenica|segunda|terça|quarta|quinta|sexta"
)
# Words around a date in a dateline: labels ("Stand:", "Updated"), "ago", the word before
# a clock time ("um", "às", "a las") or a date ("le", "el", "il").
DATE_LABELS = (
    r"stand|uhr|aktualisiert|veröffentlicht|updated?|published|posted|publicerad|"
    r"uppdaterad|oppdatert|publisert|ago|\d+ (?:minutes?|hours?|days?|weeks?)|at|on|am|um|"
    r"às|à|a las|alle|le|el|il|publicado|publié|pubblicato"
)
# The word between a comment's date and its clock time ("12. März 2019 um 14:03").
CLOCK_JOINERS = r"at|um|à|a las"
# Class words of a comment's date element (matched inside lower-cased class names).
DATE_CLASS_WORDS = (
    "date", "time", "datum", "zeit", "posted", "published", "submitted", "meta", "when", "info",
    "header", "byline",
)  # fmt: skip

# --- Bylines ----------------------------------------------------------------------------------

# Labels before an article's author names: "By", "Von:", "Posted by", "Texte de", "Text:".
BYLINE_LABELS = (
    r"(?:(?:posted|written|eingestellt|veröffentlicht|geschrieben|verfasst|publié|écrit|escrito"
    r"|scritto|publicado)\s+(?:by|von|par|por|da|door)"
    r"|(?:text|article|story|words|recipe|authored|reported|compiled)\s+by"
    r"|by|par|von|vom|van|di|de|por|door|av|af|texte de|ein artikel von|autor(?:in)?|auteur"
    r"|author)"
)
BYLINE_FIELD_LABELS = r"text|texte|authors?|redaktion|reporter"  # followed by a colon
# Degrees and credentials written after a name ("Dylan Bailey, MS, RD"): not other authors.
CREDENTIALS = (
    r"Ph\.?\s?D|M\.?D|D\.?O|R\.?N|B\.?S\.?N|M\.?S\.?N|M\.?S|M\.?A|M\.?Sc|B\.?Sc|M\.?B\.?A"
    r"|M\.?P\.?H|R\.?D\.?N?|L\.?D\.?N?|D\.?V\.?M|C\.?F\.?P|C\.?P\.?A|J\.?D|Esq|Pharm\.?D"
    r"|D\.?D\.?S|D\.?M\.?D|D\.?P\.?T|Psy\.?D|Ed\.?D|M\.?Ed|LCSW|LMFT|APRN|FNP(?:-C)?|DNP|NP"
    r"|PA-C|CDCES|CDE|CSCS|CPT|CPP|PSP|CISSP|PMP|FACLM|FAND|FOMA|DABOM|FACP|FACS|FAAP|MRCP"
    r"|(?:E-)?RYT(?:\s?\d+)?|Jr|Sr|II|III|IV"
)
# Yoast's "twitter:label1" value before the author's name, in the page's language.
WRITTEN_BY = (
    r"written by|author|by|verfasst von|geschrieben von|autor(?:in)?|von|écrit par|"
    r"auteur|par|escrito por|scritto da|autore|geschreven door"
)
# Words between two authors' names: "A and B", "A und B", "A et B", "A y B".
AUTHOR_JOINERS = r",|;|&|\band\b|\bet\b|\bund\b|\be\b|\by\b|\bog\b|\bsowie\b|\|"
# Words that make a byline part a photo credit or a date label, not a name.
NOT_IN_NAMES = (
    r"image|images|photo|foto|bild|getty|istock|shutterstock|reuters pictures"
    r"|posted|published|updated|veröffentlicht|aktualisiert|publié|publicado|pubblicato"
)
# Chinese byline labels: writers ("作者：王明", "记者 宋晨"), and the editors at the foot.
CJK_WRITER_LABELS = r"作者|记者|撰文"
CJK_EDITOR_LABELS = r"责任编辑|责编"
# A comment's author label is shorter than an article's: "von", "by", "par", "de" before the
# name. The article's labels give the same corpus output, but a commenter called "Di Maria"
# or "Van Dyke" would lose a part of the name: kept apart.
# Labels before a commenter's name: "von", "Posted by:", "Kommentar von", "Submitted by".
COMMENT_AUTHOR_LABELS = (
    r"(?:(?:posted|written|submitted|sent|geschrieben|verfasst|gepostet|eingestellt|posté|publié"
    r"|écrit|envoyé|publicado|escrito|enviado|scritto|inviato)\s+(?:by|von|par|por|da|de|door)"
    r"|(?:comment|kommentar|commentaire|réaction|reaction|antwort|reply|beitrag)"
    r"\s+(?:by|von|de|par|from)|von|by|par|de)"
)
# "Ann says:", "Paul schreibt:" after a commenter's name.
COMMENT_SAYS = (
    r"says|said|wrote|writes|dit|a dit|a écrit|schreibt|schrieb|sagt|meint|écrit|escribió|"
    r"escribe|scrive|ha scritto|zegt|schreef"
)
# "Kommentar von Naru-chan", "Comment by Ann": one comment's byline.
COMMENT_BYLINE_NOUNS = r"comment|kommentar|commentaire|réaction|reaction|antwort|reply|beitrag"
COMMENT_BYLINE_PREPOSITIONS = r"by|von|de|par|from"
# Class words of a commenter's name element (inside lower-cased class names).
COMMENT_AUTHOR_CLASS_WORDS = (
    "author", "username", "user-name", "autor", "nickname", "nick", "benutzer", "utilisateur",
    "usuario", "commenter", "poster",
)  # fmt: skip

# --- Comment threads --------------------------------------------------------------------------

# A class/id word naming a comment area, and the suffixes such names take ("comments-area",
# "kommentarModul", "reactions-list").
COMMENT_AREA_WORDS = (
    r"comments?|kommentare?|commentaires?|reactions?|réactions?|discussions?|"
    r"diskussion|disqus_thread|replies|responses|leserkommentare|comentarios|forum|talk|"
    r"reviews?|coral"
)
COMMENT_AREA_SUFFIXES = (
    r"area|section|list|wrapper|wrap|container|box|inner|block|holder|"
    r"content|thread|items|entries|main|outer|body|widget|stream|modul|module|con"
)
# Words of class names about comments that are not the thread: a form, a counter, a link.
NOT_COMMENT_AREA_WORDS = (
    r"form|respond|reply|count|link|open|closed|number|nav|pagination|button|icon|title|"
    r"heading|header|recent|latest|popular|most|widget|sidebar|meta|author|policy|rules|login|"
    r"toggle|trigger|cta|teaser|promo|share|partage|teilen"
)
# A heading naming a comment thread: "Kommentare", "12 Comments", "Vos réactions".
COMMENT_HEADINGS = (
    r"comments?|kommentare?|commentaires?|reactions?|réactions?|"
    r"discussions?|diskussion|responses?|replies|antworten|reacties|comentarios|commenti|"
    r"reader comments|leserbriefe|vos réactions|ihre meinung"
)
# A heading over the comment form or the house rules, not over the thread.
COMMENT_FORM_HEADINGS = (
    r"schreiben|verfassen|hinterlassen|write|leave|post a|add a|écrire|laisser|ajouter|"
    r"escribir|deja|policy|rules|regeln|richtlinien|charte"
)
# The noun of a class naming one comment ("comment", "wc-comment", "reaction-item").
COMMENT_ITEM_WORDS = r"comment|kommentar|commentaire|reaction|réaction|review|reply|message|post"
# A paragraph that is only a control ("Reply", "Antworten", "Log in to reply", "12 likes").
COMMENT_CONTROLS = (
    r"reply|antworten|répondre|repondre|responder|rispondi|beantworten|melden|report|"
    r"report abuse|flag|like|share|teilen|partager|permalink|edit|bearbeiten|modifier|quote|zitieren|"
    r"citer|(?:log|sign) ?in(?: to (?:reply|comment))?|anmelden|einloggen|se connecter|"
    r"register|registrieren|s'inscrire|(?:zum|pour) (?:antworten|répondre).*|"
    r"\d+\s*(?:likes?|points?|votes?)"
)
# Units of a relative date as forums write it under a post ("2 years ago", "5 mins ago").
RELATIVE_DATE_UNITS = r"sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?|yrs?"
# Class names of the controls inside a comment's markup: reply/edit/report links, votes,
# avatars, "awaiting moderation" notes (whole class tokens).
COMMENT_CHROME_CLASSES = (
    "reply", "comment-reply", "comment-meta", "comment-metadata", "comment-author", "comment-actions",
    "comment-tools", "comment-footer", "comment-header", "edit-link", "comment-edit-link",
    "awaiting-moderation", "comment-awaiting-moderation", "avatar", "vote", "votes", "voting", "rating",
    "like", "likes", "report", "flag", "share", "permalink", "says", "links", "actions", "toolbar",
    "comment-links", "comment-like", "comment-likes", "comment-vote", "comment-report", "signature",
)  # fmt: skip
# Ids and class names of a comment area as a whole (list, form and counters): never body
# text, whether or not comments are found in it.
COMMENT_AREA_IDS = ("comments", "respond", "disqus_thread")
COMMENT_AREA_CLASSES = r"comments-area|comment-respond|comment-cta"
# Class and id words of a comment thread for the byline search, which skips bylines inside
# one. Shorter than `COMMENT_AREA_WORDS` (no reviews, forums, talk): a byline search that
# also skipped those loses bylines (12 corpus pages change).
COMMENT_CLASS_WORDS = r"comments?|kommentare?|replies|respond"
# "Older comments", "Weitere Kommentare": a link to the thread's next page.
COMMENT_PAGE_LINKS = (
    r"(?:older|newer|previous|next|more|ältere|neuere|weitere|vorherige|nächste|plus anciens|"
    r"plus récents|précédents|suivants|anteriores|siguientes).{0,20}"
    r"(?:comments?|kommentare?|commentaires?|réactions?|comentarios)"
)
# Class words of the block holding a comment's text, and of blocks around it that are not.
COMMENT_TEXT_CLASSES = (
    r"content|text|body|message|entry|inhalt|msg|copy|bubble|description|teaser-text|kommentar"
)
NOT_COMMENT_TEXT_CLASSES = r"meta|author|avatar|footer|header|date|time|info|vcard|reply"

# --- Prompts, credits and labels inside the story's markup ------------------------------------

# Paywall, registration, newsletter and consent prompts (lower case: see `body.lines`).
PROMPTS = (
    r"sign in to (?:continue|read|unlock)|(?:create|register) (?:a |an |your )?(?:free )?account|"
    r"already (?:have an account|a subscriber|registered)|unlock (?:more|this|unlimited) "
    r"(?:articles?|stories)|to continue reading|don't want to see this\?|"
    r"(?:article|content) is (?:for|only available to|exclusive to) (?:subscribers|members)|"
    r"bereits (?:kunde|abonnent|registriert)|diesen artikel (?:erwerben|kaufen|freischalten)|"
    r"anmeldung zum newsletter|externen? inhalte?\b.{0,60}(?:angezeigt|anzeigen)|"
    r"ein klick für den datenschutz|empfohlener redaktioneller inhalt|déjà abonné|"
    r"réservée? aux abonnés|pour lire la suite|il vous reste \d+(?:[.,]\d+)? ?% de cet article|"
    r"responses to this entry|antworten zu diesem eintrag|(?:comments|kommentare) (?:and|und) pings|"
    r"ya eres suscriptor|exclusivo para suscriptores|会員限定|会員登録|有料会員"
)
# Short prompts to subscribe, sign up, donate or share.
CALLS_TO_ACTION = (
    r"subscribe to|sign up for|sign up to|enjoyed reading|enjoyed this|support our|"
    r"support us|donate|newsletter abonnieren|jetzt abonnieren|jetzt anmelden|folgen sie uns|"
    r"follow us on|share this (?:article|story|post)|abonnez-vous|inscrivez-vous|"
    r"unterstützen sie uns|rezept drucken|print recipe|(?:on|auf|sur|di|en) google news|"
    r"preferred source|whatsapp[- ](?:channel|kanal)"
)
# "Advertisement" and its translations, alone on a line.
AD_LABELS = r"advertisement|anzeige|werbung|publicité|pubblicità|publicidad|sponsored"
# Picture agencies and photo-credit labels: a short line naming one is a caption.
PHOTO_CREDITS = (
    r"getty ?images|/dpa\b|\bdpa/|picture[ -]alliance|shutterstock|istock|imago images|"
    r"\bap photo\b|^\s*(?:photo|foto|bild|image|credit|fotos?|bildquelle|quelle)\s*:|©"
)
# News agencies that sign a story's foot ("mit dpa", "sak/Reuters").
AGENCIES = r"dpa|afp|reuters|ap|kna|epd"
# Titles of a comment form left in the story's markup ("Kommentare schreiben").
COMMENT_FORM_TITLES = (
    r"kommentare? (?:schreiben|verfassen|hinterlassen)|schreibe einen kommentar|"
    r"(?:leave|write|post|add) a (?:comment|reply)|laisser un commentaire|deja un comentario"
)
# Share-button labels and the networks they name ("Teilen: Facebook Twitter WhatsApp").
SHARE_LABELS = r"share|teilen|partager|compartir"
SHARE_NETWORKS = (
    r"facebook|twitter|x|whatsapp|linkedin|pinterest|"
    r"telegram|reddit|google\+|e-?mail|messenger|flipboard|xing"
)

# --- Related-link blocks ----------------------------------------------------------------------

# Class words (whole words, camelCase split) of the links to the previous and next post
# ("nav-previous", "post-navigation__prev", "pagination__item--older", "gridlove-next-link").
# Class names are English whatever the page's language.
PREVIOUS_POST_WORDS = frozenset(("prev", "previous", "older"))
NEXT_POST_WORDS = frozenset(("next", "newer"))
# What such a link says besides the other post's title ("Previous post", "Older Blog Post",
# "Article suivant", "← Prev"): cut from the link's text, kept as the block's label.
ADJACENT_POST_LABELS = (
    r"(?:previous|prev|next|older|newer)(?:\s+(?:blog\s+)?(?:post|article|story|entry))?"
    r"|(?:vorheriger|vorherige|nächster|nächste|naechster|älterer|neuerer)(?:\s+(?:artikel|beitrag|post))?"
    r"|zurück|weiter|(?:article|billet)\s+(?:pr[ée]c[ée]dent|suivant)|pr[ée]c[ée]dent|suivant"
    r"|(?:artículo|entrada)\s+(?:anterior|siguiente)|articolo\s+(?:precedente|successivo)"
)

# Labels of "read also" callouts inside the body. Longer labels come before the labels they
# start with ("à lire aussi" before "à lire"): the label shown is the one matched.
READ_ALSO_LABELS = (
    r"à lire aussi|a lire aussi|à lire également|lire aussi|lire également|à lire|a lire|"
    r"voir aussi|read also|also read|read more|see also|related stories|more on this|"
    r"more:|related:|lesen sie auch|lesen sie mehr|mehr zum thema|auch interessant|"
    r"das könnte sie auch interessieren|weiterlesen|leggi anche|lee también|leia também|"
    r"čtěte také|czytaj też|czytaj także|lees ook"
)
# More such labels, recognised only alone on a line of the body: as the opening of a
# callout they are too common ("Related Topics: …"; taken as callouts, 52 corpus pages change).
READ_ALSO_LINE_LABELS = (
    r"(?:read|see) (?:also|more)|related(?: articles| stories)?|you (?:may|might) also like"
)
# Class names of such callouts.
READ_ALSO_CLASSES = (
    r"lire-?aussi|read-?also|see-?also|also-?read|inline-?related|related-?inline|"
    r"mehr-?zum-?thema|further-?reading|read-?more-?box|embedded-?related"
)
# Labels that say "these are links to other articles": required for blocks inside the body.
RELATED_HINTS = (
    r"relat|similar|also|aussi|auch|anche|también|também|read more|more (on|from|stories|in)|raccomand|"
    r"recommend|empfehl|weitere|mehr zum|zum thema|zum selben|même (sujet|thème)|plus lus|"
    r"most (read|popular|viewed)|popular|trending|meistgelesen|dossier|series|à lire|a lire"
)
# A block's kind by the words of its label (or its container's class), first kind first.
BLOCK_KIND_WORDS = (
    ("sponsored", r"sponsor|verlagsangebot|advertorial|annons|advertis|reklame|outbrain|taboola|plista|ligatus|partner|partenaire|promoted|\banzeige\b|publicit|\bpaid\b|werbung|ads by"),
    ("popular", r"most (read|popular|viewed|shared|watched)|popular|meistgeklickt|mest läst|mest lästa|mest lest|mest leste|ranking|ランキング|人気|인기|najczęściej|trending|top lectures|top \d+|les plus (lus|populaires|partagés)|plus lus|meistgelesen|meistgesehen|meist gelesen|am meisten|beliebt|populaires|tendances|más leíd|più lett|nejčten|top stories|top-artikel"),
    ("dossier", r"dossier|series|special|spezial|schwerpunkt|en ce moment sur|in focus|im fokus"),
    ("section", r"more from|latest|newest|dans la même rubrique|même rubrique|more in|mehr aus|aus dem ressort|à la une|also in|aktuell|neueste|neuesten|schlagzeilen|headlines|top news|news in|nachrichten|dernières|derniers articles|en continu|senaste|just in|recent|新着|速報|최신|naujausi"),
    ("related", r"relat|similar|also|関連|あわせて|ähnlich|leggi anche|più letti|más información|recommended|raccomandat|aussi|auch|lire|voir|read more|recommend|empfehl|weitere|mehr zum|zum thema|zum selben|même sujet|même thème|you may|you might"),
)  # fmt: skip
# Labels that name site chrome or a list of non-articles, whatever the markup around them.
CHROME_LABEL_QUALIFIERS = r"main |haupt|site |top |quick |useful |mobile |primary |secondary "
CHROME_LABELS = (
    r"menu|menü|navigation|nav|sitemap|"
    r"footer|header|sidebar|seitenleiste|barre latérale|panel|panneau|services?|sections?|"
    r"rubriques|ressorts|categories|catégories|kategorien|topics|themen|tags|schlagworte?|"
    r"stichworte?|mots[- ]clés|keywords|share|teilen|partager|follow us|folgen sie uns|"
    r"suivez[- ]nous|social( media)?|newsletters?|about( us)?|über uns|à propos|impressum|"
    r"contact|kontakt|legal|mentions légales|datenschutz|privacy|login|log in|account|konto|"
    r"abo|abonnement|subscribe|subscription|download|apps?|unsere apps|authors?|autor(en)?|"
    r"auteurs?|about the authors?|über (den|die) autor(in)?|comments?|kommentare|"
    r"commentaires|skip to.*|links|quick links|our sites|unsere angebote|weitere angebote|"
    r"partner ?sites|archives?|archiv|search|suche|recherche|jobs|karriere|shop|stellenmarkt|"
    r"stellenangebote|job offers|offres d'emploi|客户端下载|下载|kalender|calendar|calendrier|"
    r"archivado en|filed under|filed in|abgelegt unter|classé dans|tagged|tagged with|"
    r"(sign up|subscribe|abonnez-vous|jetzt abonnieren)\b.*"
)

# --- Class and id names -----------------------------------------------------------------------

# Words of class names that name chrome, as whole tokens of a name split at - and _ (the
# body's class hints). Related blocks test their own list against whole class strings.
CHROME_CLASS_TOKENS = (
    r"share|sharing|shariff|social|socials|newsletter|newsletters|related|relatedposts|"
    r"advert|advertisement|ads?|adv|advertising|promo|promotion|sponsor|sponsored|comments?|"
    r"breadcrumbs?|breadcrumb|subscribe|subscription|signup|popup|modal|cookie|consent|banner|"
    r"sidebar|widget|widgets|footer|masthead|menu|caption|credit|credits|toolbar|recommended|"
    r"recommendations?|outbrain|taboola|teaser|teasers|byline|disclaimer|ratings?|print|"
    r"trending|popular|pagination|pager|tags|tag|keywords|author|authors|bio|meta|metadata|"
    r"dateline|timestamp|date|time|published|gallery|slideshow|carousel|slider|swiper|embed|video|"
    r"player|tools|actions|skip|hidden|visually|sr|screen|offscreen|infobox|teaserbox|factbox|fakta|"
    r"readmore|more|also|next|prev|previous|links|navigation|nav|navbar|header|headline|"
    r"title|kicker|lightbox|modal|overlay|photo|image|img|figure|thumb|thumbnail|icon|logo|"
    r"follow|login|register|cta|alert|notice|topics|category|categories|comment"
)
# Of those, the boxes that are never article text however much prose they hold.
STRONG_CHROME_CLASS_TOKENS = (
    r"comments?|commentlist|kommentare|related|relatedposts|recommended|recommendations?|"
    r"outbrain|taboola|newsletter|newsletters|sidebar|footer|share|sharing|shariff|social|"
    r"bio|infobox|factbox|fakta|teaser|teasers|breadcrumbs?|disqus|respond|reply|replies|caption"
)
# Words of class names of the story's own container.
STORY_CLASS_TOKENS = (
    r"article|articlebody|body|content|entry|main|post|story|storybody|text|prose|richtext|"
    r"blog|page|news|paragraph|paragraphs|copy|detail|single|permalink|hentry|"
    r"contents|maincontent|postbody|entrycontent|articletext|bodytext"
)
# Words of class names of the standfirst ("lead", "chapo", "Vorspann", "entradilla").
LEAD_CLASS_TOKENS = (
    r"lead|leadtext|intro|introduction|standfirst|summary|excerpt|dek|deck|subhead|"
    r"einleitung|vorspann|chapo|chapeau|sapo|perex|entradilla|ingress|ingres|abstract"
)
# Class and id words of site chrome around related blocks (matched at word boundaries).
RELATED_CHROME_CLASSES = (
    r"nav|navbar|navigation|menu|mainmenu|megamenu|breadcrumbs?|footer|header|masthead|"
    r"tag-?cloud|tagcloud|tags|tag-?list|keywords|share|sharing|shariff|social|socials|"
    r"pagination|pager|paging|author-?box|author-?bio|author-?info|about-?author|byline|"
    r"comments?|commentlist|comment-list|respond|login|subscribe|paywall|cookie|consent|skip|"
    r"toolbar|topbar|site-?header|site-?footer|bottom-?bar|offcanvas|drawer|hamburger|jobs?|"
    r"job-?board|stellenmarkt|modal|popup|dialog"
)
# Class words of navigation menus (mega-menus list columnists by their author pages).
MENU_CLASS_WORDS = r"menu|menue|navbar|navigation|mainnav"
# The kicker set in a headline before its words ("Dachzeile", overline, eyebrow).
KICKER_CLASSES = (
    r"kicker|overline|dachzeile|topline|roofline|spitzmarke|eyebrow|supertitle|"
    r"pretitle|titleheader|topic"
)

# --- Addresses --------------------------------------------------------------------------------

# Path words of home, section, tag, author, search and paging pages: a page at such an
# address is a listing. A link to one is never a related article either, but that test
# (`NOT_ARTICLE_PATH_WORDS`) also refuses service pages: as listing words, 14 corpus pages
# change.
LISTING_PATH_WORDS = (
    r"tags?|category|categories|topics?|themen?|rubrique|ressort|author|"
    r"authors|autor|autoren|auteur|search|suche|recherche|page"
)
NOT_ARTICLE_PATH_WORDS = (
    r"tag|tags|topic|topics|thema|themen|schlagwort|schlagworte|stichwort|keyword|keywords|"
    r"category|categories|categorie|categoria|kategorie|rubrique|author|authors|auteur|autor|"
    r"autoren|profile|profil|user|users|people/profile|page|search|suche|recherche|login|"
    r"logout|register|signin|signup|feed|rss|wp-admin|wp-login|account|konto|newsletter|"
    r"newsletters|contact|kontakt|about|impressum|datenschutz|privacy|terms|agb|abonnement|"
    r"abo|subscribe|subscription|shop|jobs|stellenmarkt|cart|checkout|section|sections|sekce|"
    r"ressort|rubrik|rubriken|download|app"
)
# Sub-domains that sell, log in or list jobs: never an article.
SERVICE_HOSTS = (
    r"abo|abonnement|abonnements|subscribe|subscription|subscriptions|shop|store|boutique|login|"
    r"account|accounts|konto|jobs|karriere|karrierewelt|stellenmarkt|kiosk|epaper|e-paper|"
    r"checkout|leserservice|aboshop|myaccount|connect|auth|sso|radio|tv"
)
# Social networks and app stores, by their host names.
SOCIAL_HOSTS = (
    r"facebook|twitter|x|instagram|linkedin|pinterest|tiktok|whatsapp|telegram|t|"
    r"youtube|reddit|flipboard|xing|threads|bsky|mastodon|apple|google|play\.google"
)
# Recommendation-widget vendors, by their names in class names and as shown.
SPONSOR_VENDORS = ("Outbrain", "Taboola", "Plista", "Ligatus", "Zergnet", "Revcontent", "MGID")
