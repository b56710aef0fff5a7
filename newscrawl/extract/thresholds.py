"""The numbers the extraction rules decide by, named, in stage order.

Character counts are of whitespace-trimmed text; shares are fractions of an element's text
(link text over all text, unless said otherwise). Each was set by measuring the corpus
(`benchmarks/extraction.py`); change one only with the cross-validated figures beside it.
The code reads them by name, so a test or an experiment can patch one in the module that
uses it.
"""

from __future__ import annotations

# --- Body, stage 1: pruning -------------------------------------------------------------------
TEMPLATE_MIN_CHARS = 200  # a <script type="text/template"> with less markup is not the post
CHROME_PROSE_CHARS = 3000  # nav/aside/footer with this much text may hold the article...
CHROME_PROSE_LINK_SHARE = 0.3  # ...when less of it than this is link text
FORM_MAX_CHARS = 1500  # a form with less text is a control box (sign-up, log-in, poll)...
FORM_PAGE_SHARE = 0.5  # ...when it also holds less than this share of the page's text
HOVER_CARD_MIN_LINKS = 3  # a span inside a sentence with this many links may be a hover card...
HOVER_CARD_LINK_SHARE = 0.5  # ...when more of its text than this is link text
HIDDEN_KEEP_CHARS = 1000  # a hidden block with this much text stays (streamed React content)

# --- Body, stage 2: measures ------------------------------------------------------------------
PROSE_RUN_CHARS = 150  # an element's own running text of this length counts as prose...
PROSE_RUN_LINK_SHARE = 0.2  # ...when less of it than this is link text

# --- Body, stage 3: the main block ------------------------------------------------------------
PARAGRAPH_MIN_CHARS = 25  # running text shorter than this gives its container no score
PARAGRAPH_MAX_LINK_SHARE = 0.5  # running text with more link text gives no score
SCORED_ANCESTORS = 5  # how many containers above a paragraph share its score
SHORT_BLOCK_CHARS = 250  # a block with less text has its score scaled down by its length
WIDEN_SHARE = 0.75  # the main block widens to a parent scoring at least this share of it
BALANCE_CHROME_CHARS = 600  # a chrome-named box with less text counts against the balance...
BALANCE_CHROME_LINK_SHARE = 0.3  # ...as does one with more link text than this
BALANCE_PROSE_CHARS = 40  # plain running text of this length reads as prose
BALANCE_CLAUSE_CHARS = 15  # so does shorter text with a comma, or in CJK script
DOMINANT_MIN_SCORE = 40  # a main block scoring less always gets the second opinion
DOMINANCE = 2.0  # measured: below this the second method starts to change results
SIBLING_MIN_SCORE = 10.0  # a sibling scoring at least this (or the share below)...
SIBLING_SCORE_SHARE = 0.2  # ...of the main block's score continues it
SIBLING_LINK_SHARE = 0.3  # a same-named sibling continues it with less link text than this
SIBLING_P_LINK_SHARE = 0.25  # a <p> sibling continues it with less link text than this...
SIBLING_P_CHARS = 80  # ...and more text than this (or a sentence end)
COUSIN_LEVELS = 3  # how far up same-named cousins (a story cut into chunks) are looked for
COUSIN_LINK_SHARE = 0.3  # a cousin continues the story with less link text than this

# --- Body, stage 4: paragraphs of the block ---------------------------------------------------
TITLE_PROSE_CHARS = 150  # an <h1> after a paragraph this long is a sub-heading, not the title
CHROME_BOX_PROSE_CHARS = 400  # a chrome-named box with less prose than this is left out...
CHROME_BOX_LINK_SHARE = 0.3  # ...as is one with more link text than this
PROMPT_MIN_CHARS = 15  # a box this short is too short to be a prompt box
PROMPT_MAX_CHARS = 600  # a box or line up to this long that says "sign in..." is a prompt
LINK_LIST_SHARE = 0.5  # a box with more link text than this is a link list...
LINK_LIST_MAX_CHARS = 1000  # ...when it holds less text than this
LINK_BOX_SHARE = 0.33  # a short box (below) with more link text than this is a link box
LINK_BOX_MAX_CHARS = 300  # the text of such a short box
SENTENCE_MAX_LINKS = 2  # a paragraph with more links is no sentence around its links
SENTENCE_TAIL_WORDS = 2  # words after the last link of a <p> that make it a sentence
DIGEST_TAIL_WORDS = 8  # words after the link of an <li> that make it a digest item
CELL_MAX_CHARS = 300  # a table cell this long makes its row a layout row, not data
LEAD_LEVELS = 4  # how many levels above the main block the standfirst is looked for
LEAD_SIBLINGS = 6  # how many preceding siblings, at each level
LEAD_MIN_CHARS = 60  # a lead-named block needs this much text...
LEAD_MAX_LINK_SHARE = 0.3  # ...and less link text than this
LEAD_MAX_CHARS = 1500  # a longer lead-named block is not a standfirst

# --- Body, stage 4b: line filters ---------------------------------------------------------------
LINE_MIN_WORDS = 2  # a line needs this many words...
LINE_MIN_CHARS = 10  # ...or this many characters
CREDIT_MAX_CHARS = 100  # a line naming a photo agency, up to this long, is a caption
CALL_TO_ACTION_MAX_CHARS = 250  # a "subscribe to..." line up to this long is chrome
AGENCY_CREDIT_MAX_CHARS = 200  # an "... contributed to this report" line up to this long
DATELINE_MAX_CHARS = 60  # a line up to this long that only gives a date is a dateline
DATELINE_NAME_WORDS = 3  # the name beside a date in a byline-like dateline ("date | Name")

# --- Body, stages 5 and 6: referee and JSON-LD articleBody ---------------------------------------
AGREEMENT = 0.8  # share of text two methods must have in common to be trusted
RULE_KEPT_MIN_CHARS = 20  # a shorter block counts as kept by the rules only as a whole paragraph
DAMAGED_FFFD = 3  # this many U+FFFD characters make a text mis-decoded
DECLARED_DAMAGED_SHARE = 0.8  # articleBody replaces damaged text when at least this long
DECLARED_GROWTH = 1.5  # articleBody must be longer than this many times the text...
DECLARED_GROWTH_CHARS = 200  # ...plus this many characters to replace it
SCRAP_MAX_CHARS = 600  # a page that yielded less than this...
SCRAP_GROWTH = 4  # ...gets an articleBody more than this many times longer
DECLARED_SHINGLE_SHARE = 0.8  # the text's share of shingles articleBody must hold

# --- Related blocks -----------------------------------------------------------------------------
MARKED_BODY_MIN_CHARS = 200  # a body-classed element with less text is not the body
BODY_PARAGRAPH_CHARS = 150  # paragraph text an unmarked body needs directly under it
BODY_MIN_CHARS = 400  # paragraph text an unmarked body needs in all
BODY_SECTION_LEVELS = 2  # how far a body cut into sections widens to their parent
IN_PROSE_LIST_CHARS = 200  # plain text around a link in a list item that makes it prose
IN_PROSE_CHARS = 80  # plain text around a link in any other block that makes it prose
SAME_SITE_SLUG_CHARS = 20  # a same-site link's last path part this long names an article
ARTICLE_SLUG_WORDS = 3  # a URL's last path part of this many words names one article...
ARTICLE_SLUG_CHARS = 25  # ...as does one this long
HEADLINE_WORDS = 4  # link text with this many words reads as a headline
HEADLINE_CJK_CHARS = 8  # ... or this many characters in CJK script
LABEL_MAX_CHARS = 120  # a longer block label is text, not a label
PAGE_WRAPPER_SHARE = 0.5  # an ancestor of the article with this share of the page's text wraps it
MIN_BLOCK_LINKS = 2  # links a block needs
ADJACENT_PAIR_MAX_LINKS = 8  # a previous/next pair stands in a block of at most this many links
CONTAINER_LEVELS = 3  # how far above its label a block's container is looked for
REMOVABLE_PROSE_CHARS = 400  # text outside a block's links this long...
REMOVABLE_PROSE_SENTENCES = 3  # ...with this many sentences is prose and stays in the body
CALLOUT_START_CHARS = 200  # how much of a block's start the "read also" test reads
CALLOUT_SYMBOLS = 100  # a start of symbols this long makes the test read the whole text
CALLOUT_EXTRA_CHARS = 60  # text beyond the label and links in a callout, at most
CALLOUT_LABEL_MAX_CHARS = 40  # a callout's label shown before its first link, at most
SPONSOR_LABEL_MAX_CHARS = 80  # a widget's header, at most

# --- Comments -----------------------------------------------------------------------------------
ZONE_HEADING_MAX_CHARS = 60  # a comment-thread heading, at most
HEADING_WRAPPER_CHARS = 30  # a wrapper of a heading adds at most this much text
HEADING_LEAD_CHARS = 100  # text before a thread heading, at most, for its parent to be the thread
# An area whose blocks name no author and no date is a thread only if their text is at least
# this share of the area's (image credits, pros and cons, spec lists in an article column).
BARE_THREAD_MIN_SHARE = 0.2
ITEM_MIN_CHARS = 15  # average text of a group of comment blocks, at least
ITEM_MAX_LINK_DENSITY = 0.6  # average link density of a group of comment blocks, at most
DATE_BLOCK_MAX_CHARS = 160  # a date-classed element holding a comment's date, at most
DATE_TEXT_MAX_CHARS = 60  # a short element or text run holding a comment's date, at most
AUTHOR_MAX_CHARS = 80  # a commenter's name, at most
WRAPPER_PARAGRAPH_CHARS = 20  # a chrome-classed block with a paragraph this long wraps the text
COMMENT_TITLE_MAX_CHARS = 200  # a title the reader gave the comment, at most
HEADER_BLOCK_MAX_CHARS = 200  # a comment's header or footer block, at most (or half the text)
HEADER_LINE_MAX_CHARS = 80  # a comment line of a name and a date, at most
NAME_LINE_MAX_CHARS = 40  # a line that is only the commenter's name, at most
FORUM_POST_MIN_CHARS = 30  # a forum post's text, at least (shorter blocks are controls)
FORUM_POST_DATE_CHARS = 600  # a post's date is written within its first this many characters
FORUM_POST_MAX_LINK_SHARE = 0.5  # link text of a run of posts, at most this share of its text
# A forum thread read by its shape replaces the body and comments found by name only when it
# holds more than this many times their text. Chosen by site folds: 1.0 on four of five
# (1.2 on the fifth), held-out forum F1 0.761 against 0.729 without the reading.
FORUM_THREAD_GAIN = 1.0
# A run of posts inside a block of the best run, holding this share of its text, wins.
FORUM_INNER_RUN_SHARE = 0.9
REPEAT_MIN_CHARS = 40  # a forum reply's paragraph shown earlier in the thread is left out
POST_CHROME_MIN_POSTS = 3  # a shorter line under at least this many replies is chrome...
POST_CHROME_MIN_SHARE = 0.25  # ...and under at least this share of them

# --- Authors, titles, page type -------------------------------------------------------------------
AUTHOR_NAME_MAX_CHARS = 60  # a longer byline part is not one person's name...
AUTHOR_NAME_MAX_WORDS = 5  # ...nor is one of more words
BYLINE_CANDIDATES = 20  # byline elements looked at, in page order
BYLINE_MAX_CHARS = 120  # a longer element is an author box or a whole header, not a byline
BYLINE_LINE_MAX_CHARS = 80  # a longer line after the headline is prose, not a byline
BYLINE_GROUP_CHARS = 400  # later bylines count while they share a block this small with the first
LEAD_BYLINE_MAX_CHARS = 80  # a bold first paragraph of names, at most
LEAD_BYLINE_PROSE = 300  # the three paragraphs after such a byline hold at least this much
CJK_BYLINE_MAX_CHARS = 60  # a Chinese labelled byline's element, at most
TITLE_MAX_CHARS = 300  # a heading longer than this is not the headline
SITE_NAME_MAX_WORDS = 5  # a title part holding the host as a word names the site up to this
GUESSED_SITE_TAIL_WORDS = 4  # an undeclared site name guessed from a <title> tail, at most
ARTICLE_MIN_WORDS = 30  # a page with fewer words of body is not an article
DATED_ARTICLE_WORDS = 80  # a dated page without declared type needs this many words
UNDATED_ARTICLE_WORDS = 150  # an undated page (or og:type website) needs this many

# --- Learned choices of date and authors: their candidates -----------------------------------
LOOSE_BYLINE_CANDIDATES = 60  # byline-like elements (class, id, link, microdata) looked at
AUTHOR_SCORE = 0.6  # a name the authors model scores this high is an author
BEST_AUTHOR_SCORE = 0.1  # when none is, the best name from this score (pages name someone)
CO_AUTHOR_SCORE = 0.25  # a name listed with a chosen one (same JSON-LD or rules list), from this
NAME_LINE_MAX_WORDS = 4  # a name-like line after the headline, at most this many words
NEAR_DATE_NODES = 3  # a name this many lines from a date line stands "next to the date"
SHOWN_MAX_DATES = 4  # dates read near the headline, at most
HEADLINE_LINES = 40  # text lines after the first <h1> kept for the dateline and byline
HEADLINE_LINES_BEFORE = 8  # text lines before it read for a shown date

# --- The page's language, when it declares none (`language.guess_language`) ------------------
LANGUAGE_GUESS_SAMPLE_CHARS = 2000  # title, headline and paragraph text read (1.4 -> 2.1 ms)
LANGUAGE_GUESS_MIN_CHARS = 40  # less text than this gives no guess
LANGUAGE_GUESS_MIN_CONFIDENCE = 0.9  # on 1,699 pages that declare one: 99.2% agree from here
