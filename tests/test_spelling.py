"""The spelling family (CL2xx): names evidence, dialects, vocabulary, splits, punctuation
inside a word, the cache, explain-word and vocab, and fixture articles through the CLI.

The spelling data is compiled into the user cache on first use (a few seconds) and then
shared by every test and subprocess (they read the same cache folder).
"""

from __future__ import annotations

import json
import math
from array import array
import shutil
from pathlib import Path

import pytest

from copylint import engine, spelling
from copylint.document import Document
from copylint.engine import Settings, find_rule, lint
from tests.helpers import fix_text
from tests.test_fixtures import check_expected, run_copylint, summary

FIXTURES = Path(__file__).parent / "fixtures" / "spelling"
EXPECTED = FIXTURES / "expected"
ARTICLES = sorted(p for p in FIXTURES.iterdir() if p.suffix == ".txt")
RULES = [find_rule(code) for code in ("CL201", "CL202", "CL203", "CL204")]


def flags(text: str, dialect: str = "auto", vocabulary: tuple[str, ...] = (),
          word_lists: tuple[str, ...] = engine.DEFAULT_WORD_LISTS) -> list[tuple[str, str, tuple]]:
    """(code, flagged text, suggestions) of the spelling diagnostics of ``text``."""
    doc = Document(text)
    found = lint(doc, RULES, Settings(values={"dialect": dialect, "vocabulary": vocabulary, "word-lists": word_lists}))
    return [(d.code, text[d.start:d.end], d.suggestions) for d in found]


def flagged_words(text: str, **settings) -> list[str]:
    return [word for _, word, _ in flags(text, **settings)]


# -- names evidence ------------------------------------------------------------------------


def test_mid_sentence_capitalised_words_are_names():
    assert flagged_words("Officials met Zhaksylyk Bekbolatov and Gulnoza Abdurakhmonova in Taraz.") == []


def test_sentence_initial_unseen_name_passes():
    assert flagged_words("Bekbolatov said the talks had ended.") == []


def test_sentence_initial_typo_of_a_common_word_is_caught():
    assert flags("Becuase the river rose, roads closed.")[0][2][0] == "Because"
    assert flags("Whta happened next was unclear.")[0][2][0] == "What"


def test_sentence_initial_word_seen_mid_sentence_elsewhere_is_a_name():
    text = "Wheta said nothing. Officials later met Wheta in Osh."
    assert flagged_words(text) == []


def test_sentence_initial_word_opening_a_full_name_is_a_name():
    # "Olly" is one letter from "only", but a capitalised word follows it.
    assert flagged_words("Olly Barkley scored twice.") == []
    assert flagged_words("Olly scored twice.") == ["Olly"]


# -- coinages and slips --------------------------------------------------------------------


@pytest.mark.parametrize("coinage", ["crosscourt", "ticketless", "beermaker", "freakery", "textphones"])
def test_words_built_from_known_parts_with_no_near_word_are_coinages(coinage):
    assert flagged_words(f"The {coinage} plan drew praise.") == []


@pytest.mark.parametrize("slip, meant", [("accomodate", "accommodate"), ("politicial", "political"),
                                         ("reseach", "research")])
def test_slips_near_a_common_word_are_flagged_even_when_they_split(slip, meant):
    assert flags(f"They had to {slip} the change.")[0][2][0] == meant


def test_a_name_particle_before_another_particle_and_a_name_is_part_of_the_name():
    assert flagged_words("Abd al-Karim Darwish sells bread near the Khalid ibn al-Walid Mosque.") == []
    assert flagged_words("The convoy drove ibn the rain.") == ["ibn"]
    assert flagged_words("Hwo do Kazakhs vote?") == ["Hwo"]  # "do" stands alone: no particle


def test_sentence_initial_variant_of_a_name_is_left_to_the_consistency_rules():
    # "Labar" is one letter from "labor", but also from "Kabar", a name in this article:
    # CL301 asks which spelling is right; spelling must not offer "Labor".
    text = "Kabar said talks ended. Kabar added more. Labar later said they would resume."
    assert flagged_words(text) == []
    assert flagged_words("Talks ended. Labar later said they would resume.") == ["Labar"]


@pytest.mark.parametrize("text, flagged", [
    ("It is *stricly* needed.", ["stricly"]),
    ("The **finall** vote is today.", ["finall"]),
    ("Rains hit the _quartely milestone_ again.", ["quartely"]),
    ("Set my_varible and a*beleive first.", []),
])
def test_emphasis_marks_are_prose_but_glued_marks_are_code(text, flagged):
    assert flagged_words(text) == flagged


def test_a_capitalised_clause_opener_after_a_colon_is_judged_as_a_sentence_opener():
    assert flagged_words("Option: Wheter to allow the upload.") == ["Wheter"]
    assert flagged_words("Squad: Wheter, Kairat Nurtas, Ospanov.") == []  # a list of names


def test_a_sentence_opener_before_an_acronym_is_no_first_name():
    assert flagged_words("Additionaly PHP supports ODBC.") == ["Additionaly"]
    assert flagged_words("Zhanibek Nurlanov said little.") == []


def test_a_name_with_a_letter_typed_thrice_is_a_slip():
    assert flagged_words("The Writtten Statement reached Speakerboxxx fans in Almaty.") == ["Writtten"]


def test_title_case_heading_words_are_judged_as_sentence_openers():
    # Every word is capitalised, so capitals say nothing about names there.
    heading = "Kazakh Police Detain Protesters Accross Almaty\n\nThe police said little."
    assert flagged_words(heading) == ["Accross"]
    # A list of names is no heading: most of its words are in no dictionary.
    assert flagged_words("Players: Zhaksylyk Accross, Nurlan Bekbolatov, Timur Ospanov.") == []
    # Nor is a list of names that are also words.
    assert flagged_words("Replacements: Gotting, Lock, Hart, Biljon, Brooks, Mason.") == []
    assert flagged_words("Subs Not Used: Ricardo, Bellion.") == []
    # A word beside a name no source knows is part of that name.
    assert flagged_words("# Kyz Zhibek Returns to the Abai Theatre\n\nThe opera is back.") == []
    assert flagged_words("The Goverment Zhibek Plan Announced for Almaty Schools\n\nIt was read.") == ["Goverment"]


def test_lines_in_a_language_without_a_frequency_list_are_not_checked():
    lyric = "The song begins:\n\nKózimniń qarasy,\nKóńilimniń sanasy,\nBitpeıdi ishte jarasy.\n\nShe sang it twice."
    assert flagged_words(lyric) == []
    assert flagged_words("The goverment in Zürich said the budjet was finall.") == ["goverment", "budjet", "finall"]


def test_short_foreign_phrases_are_not_checked():
    text = "Her joie de vivre showed; he was au fait with it, not the goverment de facto."
    assert flagged_words(text) == ["goverment"]
    # the other language must know the word well: Dutch has a rare "forse"
    assert flagged_words("It was a tour de forse.") == ["forse"]
    assert flagged_words("It was a fait accompli, and the goverment sayd so.") == ["goverment", "sayd"]
    assert flagged_words("Tokayev spoke in the vivre of the hall.") == ["vivre"]  # no function word beside it


def test_sentences_in_another_language_are_not_checked():
    text = "Ele disse: Nao sabemos quando a fronteira vai abrir de novo. Officials agreed."
    assert flagged_words(text) == []
    assert flagged_words("Biasanya hal ini dilakukan pada fase akhir dari revisi.") == []
    assert flagged_words("Officials agreed the fronteir would open soon.") == ["fronteir"]
    words = "ele disse que a fronteira vai abrir".split()
    assert spelling.other_language(words, [spelling.default_lexicon().zipf(w) for w in words]) == "pt"
    quoted = 'The envoy said: « C\'est une question de confiance entre les deux pays ». Talks resumed.'
    assert flagged_words(quoted) == []


def test_an_english_sentence_full_of_typos_is_still_checked():
    assert flagged_words("the boy wos rily hapy wen he sor the big dog.") == ["wos", "rily", "hapy", "sor"]


def test_lower_case_name_far_rarer_than_a_word_one_edit_away_is_a_slip():
    assert flags("The board wil meet on Monday.")[0][2][0] == "will"
    assert flagged_words("He watched tv all evening.") == []


def test_plural_of_a_misspelt_word_is_no_plural():
    assert flagged_words("There were three occurances of the error.") == ["occurances"]
    assert flagged_words("The carpets were woven with red guls.") == []


@pytest.mark.parametrize("word, split", [("aswell", "as well"), ("eventhough", "even though"),
                                         ("aboutthe", "about the"), ("upto", "up to")])
def test_a_function_word_run_onto_another_is_two_words_however_often_the_web_joins_them(word, split):
    ((code, flagged, suggestions),) = flags(f"They came {word} the others.")
    assert (code, flagged, suggestions[0]) == ("CL202", word, split)


def test_a_sentence_opener_before_a_reporting_verb_or_an_age_is_a_person():
    assert flagged_words("Officials met. Zaid said the talks had failed. Aset, 19, lives in Almaty.") == []
    assert flagged_words("Officials met. Becuase the river rose, roads closed.") == ["Becuase"]
    # A clear slip, or a word longer than most names, stays flagged before "said".
    assert flagged_words("Dushanbe was quiet. Goverment said it would act. Acording warned them.") == \
        ["Goverment", "Acording"]


def test_a_capitalised_dictionary_word_that_is_a_regular_derivation_passes_in_lower_case():
    assert flagged_words("The eurosceptic wing voted against it.", dialect="en-GB") == []
    assert flagged_words("Talks with chian were held.") == ["chian"]


def test_a_known_name_written_as_an_identifier_is_not_split_into_slips():
    assert flagged_words("The service writes them to PostgreSQL tables.") == []


def test_a_split_is_safe_only_when_its_words_often_stand_together():
    speller = spelling.default_speller()
    assert speller.suggest("atwhen").suggestions[0] == "at when" and not speller.suggest("atwhen").safe
    assert speller.suggest("politicalchange").safe


def test_a_name_opening_a_sentence_is_not_read_as_words_run_together():
    assert flagged_words("Officials met on Monday. Onwater said the talks went well.") == []


def test_a_run_together_reading_as_common_as_the_spelling_fix_is_offered_too_and_fixes_nothing():
    speller = spelling.default_speller()
    inspite, bandwith = speller.suggest("inspite", "they", "of"), speller.suggest("bandwith", "the", "of")
    assert inspite.suggestions[:2] == ["inspire", "in spite"] and not inspite.safe
    assert bandwith.suggestions[0] == "bandwidth" and "band with" not in bandwith.suggestions and bandwith.safe


def test_invisible_characters_are_the_ones_cl103_removes():
    assert spelling.INVISIBLE == set(find_rule("CL103").spec["requires"])


def test_closed_compounds_of_content_words_and_close_spellings_are_not_run_together():
    assert flagged_words("The lineout and the webserver held.") == []
    assert flags("The amound was paid.")[0][2][0] == "amount"  # a close spelling, not "a mound"


def test_close_spelling_beats_a_split_with_ordinary_evidence():
    assert flags("We saw the adress in the letter.")[0][2][0] == "address"
    assert flags("She was infact right.")[0][2][0] == "in fact"


@pytest.mark.parametrize("text, identifier, meant", [
    ("Set the SecurtiyContext of the pod.", "SecurtiyContext", "SecurityContext"),
    ("It raised a DOMExcpetion at once.", "DOMExcpetion", "DOMException"),
])
def test_slip_inside_an_identifier_is_flagged(text, identifier, meant):
    assert flags(text) == [("CL201", identifier, (meant,))]


@pytest.mark.parametrize("typo, meant", [
    ("companys", "companies"),  # "ys" for "ies"
    ("fonetic", "phonetic"),  # "f" for "ph", even as the first letter
    ("peice", "piece"),  # two vowels swapped
    ("enviroment", "environment"),  # a consonant left out inside the word
    ("unitialized", "uninitialized"),  # a repeated pair of letters typed once
])
def test_common_kinds_of_slip_rank_the_meant_word_first(typo, meant):
    assert flags(f"It was the {typo} one.")[0][2][0] == meant


@pytest.mark.parametrize("text, meant", [
    ("Files are stored in the achive for a year.", "archive"),  # a noun after "the"
    ("Nobody can achive that by Friday.", "achieve"),  # a verb after "can"
    ("The talks ended without futher ado.", "further"),
    ("It is expected tha a deal is near.", "that"),
])
def test_the_neighbours_choose_between_equally_close_words(text, meant):
    assert flags(text)[0][2][0] == meant


def test_a_pair_missing_from_the_bigram_list_counts_against_it_only_when_chance_predicts_it():
    association = spelling.default_speller().word_association
    assert 0.2 < association("of", "the") < 1.0  # common words that attract a little
    assert association("the", "achieve") < 0 < association("the", "archive")
    assert association("zhibek", "achieve") == 0  # too rare a neighbour to expect the pair listed
    assert association("", "achieve") == 0


@pytest.mark.parametrize("typo, repairs", [
    ("connectected", ["connected"]),  # "ect" typed twice
    ("dependendencies", ["dependencies"]),
    ("autocommmit", ["autocommit"]),  # a letter typed thrice
    ("ahhhh", []),  # a drawn-out cry, and "hh" is no chunk of letters
    ("reregistered", []),  # a prefix meeting a word that starts the same way
    ("gogo", []),  # a reduplication
])
def test_stutter_repairs_drop_one_copy_of_a_repeated_chunk(typo, repairs):
    assert list(spelling.stutter_repairs(typo)) == repairs


def test_a_word_split_by_an_invisible_character_is_checked_whole_once_it_goes():
    # Checked in pieces, "energo" would be "fixed" to "energy" in the same pass as CL103
    # removes the zero-width space, breaking the name.
    text = "The grid operator, Ukr\u200benergo, announced cuts."
    assert flags(text) == []
    rules = [find_rule("CL103"), *RULES]
    assert fix_text(text, rules, Settings(values={"dialect": "en-GB"})) == "The grid operator, Ukrenergo, announced cuts."


def test_letters_typed_twice_over_are_a_slip_for_the_word_without_them():
    assert flags("Both towns are connectected now.") == [("CL201", "connectected", ("connected",))]
    assert flags("Turn autocommmit off first.") == [("CL201", "autocommmit", ("autocommit",))]
    assert flagged_words("The firms reregistered it on Monday.") == []


def test_a_long_run_of_letters_is_no_word():
    assert flagged_words("It said " + "ab" * 3000 + " and left.") == []


@pytest.mark.parametrize("typo, word, cost", [("companys", "companies", 0.4), ("fonetic", "phonetic", 0.5),
                                               ("unitialized", "uninitialized", 0.5)])
def test_a_slip_costs_its_own_price_even_at_the_pruning_limit(typo, word, cost):
    # The alignment stops early once every path costs more than the limit; a slip reaches
    # back over several letters, so the early stop must look back as far.
    assert spelling.edit_cost(typo, word) == pytest.approx(cost)
    assert spelling.edit_cost(typo, word, limit=cost) == pytest.approx(cost)
    assert spelling.edit_cost(typo, word, limit=cost - 0.01) == math.inf


@pytest.mark.parametrize("cost, zipf, margin, safe", [
    (0.8, 4.0, 3.6, True),  # cheap to reach and common: the base margin is enough
    (1.0, 4.0, 3.6, False),  # two edits away needs more ...
    (1.0, 4.0, 4.4, True),  # ... 0.8 more for the extra 0.2 of cost
    (0.6, 2.0, 4.0, False),  # a rare word needs 2 more per unit of zipf below 3
    (0.6, 2.0, 5.6, True),
    (1.3, 5.0, 50.0, False),  # never this far from the typo ...
    (0.4, 1.9, 50.0, False),  # ... nor this rare
    (0.6, 4.0, 3.5 - 1e-12, True),  # a lead of just the margin, whatever float rounding says
])
def test_a_farther_or_rarer_best_word_needs_a_wider_lead_to_be_safe(cost, zipf, margin, safe):
    best = spelling.Candidate("best", cost, zipf, score=10.0)
    runner_up = spelling.Candidate("other", 1.0, 3.0, score=10.0 - margin)
    assert spelling.Speller.is_safe([best, runner_up]) is safe


def test_a_two_edit_slip_far_ahead_of_any_other_word_is_fixed_safely():
    text = "It rose to the top of the politicial agenda."
    assert fix_text(text, RULES, Settings(values={"dialect": "en-GB"}), unsafe=False) == \
        "It rose to the top of the political agenda."


def test_suggestions_follow_the_article_dialect():
    assert flags("The lisence was renewed.", dialect="en-US")[0][2][0] == "license"
    assert flags("The lisence was renewed.", dialect="en-GB")[0][2][0] == "licence"


def test_lower_case_parts_of_a_compound_with_an_acronym_are_checked():
    assert flags("It takes an N-dimensonal array.")[0][1:2] == ("dimensonal",)
    assert flags("It takes an N-dimensonal array.")[0][2][0] == "dimensional"
    assert flagged_words("The ex-KGB officer met al-Qaeda experts and a UN-backed panel.") == []


def test_uzbek_names_typed_with_a_turned_comma_are_whole_words():
    assert flagged_words("Ulug‘bek Ne’matov spoke for O‘zbekiston Liberal-Demokratik Partiyasi.") == []


def test_identifier_parts_of_names_and_brands_pass():
    assert flagged_words("Paul McCartney, Alex McLeish and the iPodder team met at PwC and DaimlerChrysler.") == []
    assert flagged_words("TERMEZ, Uzbekistan - The border reopened.") == []


def test_a_word_before_a_missing_space_after_a_full_stop_is_prose():
    assert flagged_words("Talks with the goverment.The minister left.") == ["goverment"]
    assert flagged_words("Open config.yaml and main.py first.") == []


def test_extensions_domains_and_character_references_are_not_words():
    # ".mobi" is a domain; "B&#233;ziers" is one word that CL142 decodes before spelling
    # sees it. A sentence that starts after a full stop is still prose.
    assert flagged_words("The .mobi and .docx names. Done...Rivers rose in B&#233;ziers.") == []
    assert flagged_words("It rained...the goverment said.") == ["goverment"]


def test_acronyms_brands_and_code_are_skipped():
    text = ("Users of eBay, PwC and iPhone apps wrote to @almaty_news about #floods, "
            "the NATO summit, 5km of road, config_old.yaml, getValue and /var/log/qwzx.")
    assert flagged_words(text) == []


# -- dialect -------------------------------------------------------------------------------


def test_auto_dialect_flags_the_minority_spelling():
    assert flags("The color of the center was analyzed, and the organisation agreed.") == [
        ("CL204", "organisation", ("organization",))]


def test_british_article_accepts_oxford_ize_but_not_american_spelling():
    text = "The colour of the centre was analysed; the organization will organize talks and analyze it."
    assert flagged_words(text) == ["analyze"]


def test_configured_dialect_applies_without_markers():
    assert flagged_words("The Organisation met on Tuesday.", dialect="en-US") == []  # a name mid-sentence
    assert flagged_words("The organisation met on Tuesday.", dialect="en-US") == ["organisation"]
    assert flagged_words("The color was chosen.", dialect="en-GB") == ["color"]


def test_other_dialect_inside_a_compound_is_flagged():
    assert flags("The center-left party won in Manchester.", dialect="en-GB") == [("CL204", "center", ("centre",))]


def test_multi_word_proper_name_keeps_its_spelling():
    text = "The colour of the centre was analysed. Labor Party officials in Australia met the Australian Labor Party."
    assert flagged_words(text, dialect="en-GB") == []


def test_british_doubled_consonants_are_a_dialect_spelling():
    text = "Officials focussed on targetting smugglers and benefitted from it."
    assert flags(text, dialect="en-US") == [("CL204", "focussed", ("focused",)), ("CL204", "targetting", ("targeting",)),
                                            ("CL204", "benefitted", ("benefited",))]
    assert flagged_words(text, dialect="en-GB") == []


def test_british_form_of_an_american_only_word_is_a_dialect_spelling_not_a_typo():
    # Neither dictionary lists "colourblind"; it is "colorblind" spelled the British way,
    # so a British article keeps it and an American one gets the dialect fix.
    text = "The casting was colourblind."
    assert flagged_words(text, dialect="en-GB") == []
    assert flags(text, dialect="en-US") == [("CL204", "colourblind", ("colorblind",))]
    assert flagged_words("It was a humourous night.", dialect="en-GB") == ["humourous"]  # "humorous" either way
    # Only a British word at the start makes the British form: "fullfill" is no "fulfill".
    assert flagged_words("They fullfill every order.", dialect="en-GB") == ["fullfill"]


def test_a_capitalised_word_a_dictionary_holds_as_a_name_is_no_dialect_spelling():
    assert flags("The colour of the flag. Flights to Manila resumed.", dialect="en-GB") == []  # not "manilla"
    # The paper's British spelling is no name anyone writes: the city is spelled "Manila".
    assert flags("The color of the flag. Flights to Manilla resumed.", dialect="en-US") == \
        [("CL204", "Manilla", ("Manila",))]
    assert flagged_words("Staff at the Centre were safe.", dialect="en-US") == ["Centre"]


def test_dialect_fix_is_unsafe():
    doc = Document("The color was chosen.")
    (diagnostic,) = lint(doc, RULES, Settings(values={"dialect": "en-GB"}))
    assert diagnostic.fix.applicability == "unsafe"
    assert diagnostic.fix.edits[0].replacement == "colour"


# -- vocabulary ----------------------------------------------------------------------------


def test_capitalised_vocabulary_entry_accepts_that_form_only():
    text = "Almagate began in 2003. Reporters covered almagate for years."
    assert flagged_words(text, vocabulary=("Almagate",)) == ["almagate"]
    assert flagged_words("Almagate's files were opened.", vocabulary=("Almagate",)) == []


@pytest.mark.parametrize("name", engine.word_list_names())
def test_built_in_word_lists_are_tidy_and_needed(name):
    # Like a dictionary in a repository, the lists are linted: sorted, lower case, one
    # word per line (letters, and an apostrophe as in "so'm"), and no entry the speller
    # would accept without the list.
    words = [line for line in (engine.rules_folder() / f"{name}-words.txt").read_text().splitlines()
             if not line.startswith("#")]
    assert words == sorted(set(words)) and all(w.replace("'", "").isalpha() and w.islower() for w in words)
    speller = spelling.default_speller()
    assert [w for w in words if speller.acceptable(w, "en-US") or speller.acceptable(w, "en-GB")] == []


def test_foreign_phrase_list_is_tidy_and_needed():
    # Each phrase has two or more words, and at least one that the spelling rules would
    # flag without the list (in lower case, or opening a sentence).
    lines = spelling.rules_entries(spelling.FOREIGN_PHRASES)
    assert lines == sorted(set(lines)) and all(line.islower() and len(line.split()) >= 2 for line in lines)
    speller = spelling.default_speller()

    def accepted(word):
        return all(speller.acceptable(word, dialect, opening) for dialect in ("en-US", "en-GB") for opening in (0, 1))

    assert [line for line in lines if all(accepted(word) for word in line.split())] == []


@pytest.mark.parametrize("file_name", [spelling.IRREGULAR_VERBS, spelling.IRREGULAR_PLURALS])
def test_irregular_form_lists_are_tidy_and_hold_dictionary_words(file_name):
    entries = spelling.rules_entries(file_name)
    assert entries == sorted(set(entries)) and all(entry.islower() for entry in entries)
    speller = spelling.default_speller()
    assert [word for entry in entries for word in entry.split() if not speller.is_dictionary_word(word)] == []


def test_regular_endings_on_irregular_words_suggest_the_irregular_form():
    found = flags("The files were splitted, the teacher teached them, and the childs catched colds.")
    assert [(word, suggestions[0]) for _, word, suggestions in found] == [
        ("splitted", "split"), ("teached", "taught"), ("childs", "children"), ("catched", "caught")]


def test_listed_foreign_phrases_pass_where_the_whole_phrase_stands():
    text = "Carpe diem, he wrote. Veni, vidi, vici. It was a cri de coeur."
    assert flagged_words(text) == []
    assert flagged_words("The vidi was late, and the diem too.") == ["vidi"]


def test_software_words_are_accepted_unless_the_configuration_drops_them(tmp_path: Path):
    text = "The kubelet struct lives in the impl file.\n"
    assert flagged_words(text) == []
    assert flagged_words(text, word_lists=()) == ["kubelet", "struct", "impl"]
    (tmp_path / "a.txt").write_text(text)
    (tmp_path / ".copylint.toml").write_text("word-lists = []\n")
    assert run_copylint("check", "--select", "CL201", "a.txt", cwd=tmp_path).returncode == 1
    (tmp_path / ".copylint.toml").write_text('word-lists = ["medicine"]\n')
    result = run_copylint("check", "a.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "word-lists: no built-in list 'medicine' (the lists: software, world)" in result.stderr.decode()


def test_lower_case_vocabulary_entry_accepts_any_case():
    assert flagged_words("Reporters covered kazakhgate. Kazakhgate began in 2003.", vocabulary=("kazakhgate",)) == []


def test_allowing_a_surname_leaves_the_common_word_checked():
    settings = {"vocabulary": ("Manger",)}
    assert flagged_words("Manger scored twice.", **settings) == []
    assert flagged_words("The baby lay in a mangr.", **settings) == ["mangr"]
    speller = spelling.default_speller()
    assert speller.acceptable("manger", None)  # the common word is judged as always


# -- run-together words and punctuation inside a word -------------------------------------


def test_run_together_words_split_safely():
    assert fix_text("It marked a politicalchange.", RULES, unsafe=False) == "It marked a political change."
    assert fix_text("She held a pressconference.", RULES, unsafe=False) == "She held a press conference."


def test_segmentation_offers_attested_splits_only():
    speller = spelling.default_speller()
    assert ("political", "change") in speller.splits("politicalchange")
    assert speller.suggest("beleive").kind == "spelling"  # a close spelling beats "be leive"


def test_punctuation_inside_a_word_moves_to_its_end():
    assert fix_text("After the riot,s the city was quiet.", RULES, unsafe=False) == "After the riots, the city was quiet."
    assert fix_text("Two men were detaine,d. Police left.", RULES, unsafe=False) == "Two men were detained. Police left."


def test_a_comma_between_words_that_belong_together_is_a_stray_and_goes():
    # "detained in" and "financial difficulties" are pairs; "riots the" is none, so there
    # the comma marks a pause and moves to the end of the word.
    assert fix_text("Two men were detaine,d in Osh.", RULES, unsafe=False) == "Two men were detained in Osh."
    assert fix_text("It ran into financ,ial difficulties.", RULES, unsafe=False) == "It ran into financial difficulties."


def test_missing_space_and_abbreviations_are_not_slipped_punctuation():
    assert flagged_words("They came in the end,but nobody spoke. See e.g. the U.S. report.") == []


def test_safe_fix_needs_a_clear_winner():
    speller = spelling.default_speller()
    assert speller.suggest("accross", "held", "the").safe
    assert not speller.suggest("wierd", "a", "decision").safe  # weird or wired


def test_no_suggestion_is_a_word_the_rule_would_flag():
    # "docent" is only in the American dictionary and rare: CL201 flags it in an article of
    # unknown dialect, so it must not suggest it there (--unsafe-fixes would then "fix" it).
    assert "docent" not in flags("If it dosent work, the service will fail.")[0][2]


def test_no_safe_fix_beside_another_unknown_word():
    # "expressio" alone is a slip for "expression"; beside "unius" it is Latin.
    assert fix_text("He cited the expressio of it.", RULES, unsafe=False) == "He cited the expression of it."
    latin = "He cited the expressio unius rule."
    assert fix_text(latin, RULES, unsafe=False) == latin


# -- known misspellings (codespell's lists) ----------------------------------------------


def test_a_listed_fix_ranks_first_where_nothing_else_decides():
    assert flags("We saw the word amoung in the text today.")[0][2][0] == "among"  # not "amount"
    assert flags("We saw the word casue in the text today.")[0][2][0] == "cause"  # not "case"


def test_a_listed_misspelling_only_the_web_or_a_foreign_dictionary_vouches_for_is_flagged():
    assert flagged_words("He kept posession of the ball.") == ["posession"]  # wordfreq has it
    assert flagged_words("The heterogenous mix grew.", dialect="en-US") == ["heterogenous"]  # en_GB's, rare
    assert flagged_words("Fans will instal the new seats.", dialect="en-GB") == []  # British
    assert flagged_words("The bloc met in Brussels.") == []  # both dictionaries hold it


def test_a_listed_slip_for_a_well_known_name_is_flagged_once_and_never_fixed_safely():
    text = "Aid reached the Phillipines on Monday."
    assert [(code, word, fixes[0]) for code, word, fixes in flags(text)] == [("CL201", "Phillipines", "Philippines")]
    assert fix_text(text, RULES, unsafe=False) == text
    assert flagged_words("Britian will send aid. Officials in Britain said so.") == ["Britian"]  # the list knows
    assert flagged_words("The official said Britian's position was unchanged.") == ["Britian's"]
    # The list's name is offered first, whatever the ranking prefers ("Labia", "Ceased").
    assert [fixes[0] for _, _, fixes in flags("Aid reached Lybia. The statue of Ceaser stood.")] == ["Libya", "Caesar"]


def test_rare_names_the_list_holds_stay_names():
    # The list's fixes: "chasm", "asthma" (no names), "Miranda" (but a surname follows).
    assert flagged_words("Officials met Chasim, Azma Bokhari and Meranda Khan in Herat.") == []
    assert flagged_words("Sales rose, said Analysys, and Analysys expects more.") == []  # a name recurs
    assert flagged_words("The team's coach, Kenji Asai, said so. The coach Tunde Argentio agreed.") == []
    assert flagged_words("Sales rose, said Analysys. Analysys's chief agreed.") == []  # possessives count


def test_a_listed_word_opening_a_sentence_is_judged_as_openers_are():
    assert flagged_words("Reacher is the hero of the novel.") == []  # a name the list holds ("richer")


def test_a_word_some_dictionary_holds_is_never_replaced_safely():
    text = "Officials were despatching aid by truck."  # British; the list says "dispatching"
    assert flagged_words(text, dialect="en-US") == ["despatching"]
    assert fix_text(text, RULES, unsafe=False) == text


def test_a_fix_the_list_contradicts_is_never_safe():
    speller = spelling.default_speller()
    assert speller.suggest("amoung", "the", "of").suggestions[0] == "amount"  # the neighbours decide ...
    assert not speller.suggest("amoung", "the", "of").safe  # ... but against the list, not safely


def test_every_word_number_fits_a_known_misspellings_payload():
    assert len(spelling.default_speller().lexicon.values) < spelling.NO_FIX


def test_a_word_sharing_a_listed_misspellings_crc32_is_not_taken_for_it(monkeypatch):
    lexicon = spelling.default_speller().lexicon
    assert spelling._hash("menthols") == spelling._hash("meny")  # "meny" is listed; "menthols" is a word
    assert lexicon.misspelling("meny") is not None and lexicon.misspelling("menthols") is None
    # The same through a forged entry: "teh" with another word's check byte.
    assert lexicon.misspelling("teh").fixes == ("the",)
    key = spelling._hash("teh")
    forged = array("Q", (entry ^ (1 << spelling.CHECK_SHIFT) if entry >> 32 == key else entry
                         for entry in lexicon.misspellings))
    monkeypatch.setitem(lexicon.__dict__, "misspellings", memoryview(forged))
    monkeypatch.setattr(lexicon, "_misspellings", engine.Memo(lexicon._look_up_misspelling))  # forget "teh"
    assert lexicon.misspelling("teh") is None


def test_codespells_lists_are_read_as_data_and_its_code_never_imported():
    import subprocess
    import sys

    script = ("import sys; from copylint import spelling; "
              "assert spelling.default_speller().lexicon.misspelling('teh').fixes == ('the',); "
              "print('codespell_lib' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout == "False\n"


# -- the cache -----------------------------------------------------------------------------


def test_cache_key_changes_with_the_recipe_and_package_versions(monkeypatch):
    key = spelling.cache_key()
    monkeypatch.setattr(spelling, "RECIPE", spelling.RECIPE + "-next")
    assert spelling.cache_key() != key
    monkeypatch.undo()
    real_version = spelling.installed_version
    monkeypatch.setattr(spelling, "installed_version", lambda name: real_version(name) + ".post1")
    assert spelling.cache_key() != key


def test_installed_versions_are_read_from_the_first_distribution_on_the_path(monkeypatch, tmp_path):
    assert spelling.installed_version("wordfreq") == spelling._version_from_metadata("wordfreq")
    (tmp_path / "WordFreq-9.9.dist-info").mkdir()  # names compare ignoring case
    monkeypatch.syspath_prepend(str(tmp_path))
    assert spelling.installed_version("wordfreq") == "9.9"
    assert spelling.installed_version("no-such-package") is None


def test_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("COPYLINT_CACHE_DIR", str(tmp_path))
    assert spelling.cache_folder().parent == tmp_path


def test_cache_build_is_atomic_and_a_finished_build_wins(monkeypatch, tmp_path):
    monkeypatch.setattr(spelling, "_lexicon_words", lambda: {"colour": spelling.GB << spelling.ZIPF_BITS | 400,
                                                             "color": spelling.US << spelling.ZIPF_BITS | 400})
    folder = tmp_path / "spelling-test"
    lexicon = spelling.Lexicon(folder)
    assert lexicon.zipf("colour") == 4.0 and "colr" not in lexicon
    assert lexicon.variants == {"colour": "color", "color": "colour"}
    spelling._build_folder(folder)  # a second, concurrent build finding the folder in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spelling-test"]  # no half-built leftovers


# -- explain-word and vocab, through the CLI --------------------------------------------------


def test_explain_word_says_why():
    result = run_copylint("explain-word", "accross")
    assert result.returncode == 0
    out = result.stdout.decode()
    assert "flagged as unknown word (CL201)" in out and "across" in out and "(safe fix)" in out
    colour = run_copylint("explain-word", "colour").stdout.decode()
    assert "spelled the British (en-GB) way" in colour and "'color'" in colour
    assert "suggestion: SecurityContext" in spelling.explain_word("SecurtiyContext")[-1]
    assert "accepted" in spelling.explain_word("eBay")[-1]
    assert "built-in word list rules/world-words.txt" in spelling.explain_word("tenge")[-1]
    assert "flagged" in spelling.explain_word("tenge", word_lists=())[1]


def test_explain_word_names_the_known_misspellings_list_and_the_name_slip():
    lines = spelling.explain_word("Britian")
    assert "in codespell's list of misspellings of Britain" in lines
    assert lines[-1].startswith("capitalised, written once and not before another capitalised word")
    assert any(line.startswith("capitalised at a sentence start: flagged as unknown word (CL201)") for line in lines)
    assert "in codespell's list of misspellings of Britain" in spelling.explain_word("Britian's")


@pytest.mark.parametrize("word", ["", "two words"])
def test_explain_word_refuses_what_is_not_one_word(word):
    result = run_copylint("explain-word", word)
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode().startswith("copylint: error: give one word") and b"Traceback" not in result.stderr


def test_vocab_lists_unknown_words_most_frequent_first(tmp_path: Path):
    (tmp_path / "a.txt").write_text("The sorblat met. A sorblat and a qwindle left. Zhaksylyk stayed.\n")
    (tmp_path / "b.txt").write_text("Another sorblat arrived.\n")
    result = run_copylint("vocab", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.decode().splitlines()
    assert lines == ["# copylint vocab: 2 unknown words, most frequent first", "# seen 3 times", "sorblat",
                     "# seen 1 time", "qwindle"]
    # Pasted into a words file, the list silences them.
    (tmp_path / "words.txt").write_text("\n".join(lines) + "\n")
    (tmp_path / ".copylint.toml").write_text('words-file = "words.txt"\n')
    assert run_copylint("check", "--select", "CL2", "a.txt", "b.txt", cwd=tmp_path).returncode == 0


# -- fixture articles through the real CLI ------------------------------------------------


@pytest.mark.parametrize("article", ARTICLES, ids=lambda p: p.name)
def test_spelling_fixture(article: Path, tmp_path: Path, request) -> None:
    shutil.copy(article, tmp_path / article.name)
    update = request.config.getoption("--update-fixtures")
    result = run_copylint("check", "--format", "json", article.name, cwd=tmp_path)
    assert result.stderr == b""
    found = summary(json.loads(result.stdout))
    if article.name.startswith("clean_"):
        assert found == [], "clean articles must produce no diagnostics"
        return
    check_expected(EXPECTED / f"{article.stem}.json", json.dumps(found, indent=1) + "\n", update)
    run_copylint("check", "--unsafe-fixes", article.name, cwd=tmp_path)
    check_expected(EXPECTED / f"{article.stem}.fixed", (tmp_path / article.name).read_bytes(), update)


def test_candidates_are_scored_afresh_in_each_context():
    speller = spelling.default_speller()
    assert speller.rank("achive", "the", "")[0].word == "archive"
    assert speller.rank("achive", "can", "the")[0].word == "achieve"
    assert speller.rank("achive", "the", "")[0].word == "archive"  # no score left over from the last context
