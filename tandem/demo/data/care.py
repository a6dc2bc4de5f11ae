"""The demo children's clinical stories: evaluation, plan and how each goal's data run.

Read by ``demo.clinical`` (evaluation and plan) and ``demo.sessions`` (weekly notes).
Each goal's session data follow its ``course``: "improve" climbs from ``start`` to
``end``; "master" gets there three quarters of the way and holds it; "plateau" climbs,
then stays level for the last eight sessions; "regression" climbs, then falls over the
last five sessions. The progress rules then flag Emma's handwriting as a plateau and
Ethan's calming strategy as a regression.
"""

from tandem.demo.shapes import Care, Copm, DemoGoal, Score
from tandem.notes.models import Location
from tandem.plans.models import Domain, MeasurementType

PERCENT, COUNT, SECONDS = (
    MeasurementType.PERCENT_TRIALS,
    MeasurementType.FREQUENCY,
    MeasurementType.DURATION,
)
RATING, STEPS, GAS_ONLY = (
    MeasurementType.RATING,
    MeasurementType.TASK_ANALYSIS,
    MeasurementType.GAS_ONLY,
)
CLINIC, HOME, SCHOOL = Location.CLINIC, Location.HOME, Location.SCHOOL

MATEO_CARE = Care(
    weeks=20,
    weekday=1,
    start="09:30",
    minutes=45,
    location=CLINIC,
    reason="Referred by his pediatrician after the autism diagnosis at 33 months: about 20 "
    "single words, long meltdowns at transitions, limited joint attention.",
    observations="Session in Spanish with English carry-over. Mateo explored the train table "
    "for 10 minutes, labelled colours in both languages and pulled the therapist's hand to "
    "ask for help. He responded to his name in 2 of 5 calls and followed a point to a near "
    "object only.",
    summary="Mateo is a bright, affectionate 3-year-old who communicates mostly by leading "
    "adults and single words. Receptive and expressive language are well below age "
    "expectations on the PLS-5. He learns quickly with visual supports, songs and trains, "
    "which makes a play-based, family-coached approach a good fit.",
    scores=(
        Score("pls-5", "Auditory Comprehension", 71),
        Score("pls-5", "Expressive Communication", 66),
        Score("pls-5", "Total Language Score", 67),
    ),
    delayed=("language_communication", "social_emotional"),
    growth_z=(0.3, 0.5),
    priorities="Que Mateo nos pueda decir lo que quiere sin llorar (that Mateo can tell us "
    "what he wants without crying); then playing with his cousins.",
    goals=(
        DemoGoal(
            "Two-word requests",
            Domain.COMMUNICATION,
            PERCENT,
            10,
            70,
            mastery=80,
            bank="Requesting with two-word phrases",
            baseline="Requests by leading an adult's hand or with one word, in Spanish or "
            "English, in about 1 of 10 opportunities.",
            priority=1,
        ),
        DemoGoal(
            "Imitating words",
            Domain.COMMUNICATION,
            COUNT,
            2,
            9,
            mastery=10,
            unit="different words imitated",
            bank="Imitating words",
            baseline="Imitates 1 to 2 words in a session, mostly train sounds.",
            priority=2,
        ),
        DemoGoal(
            "Greeting people",
            Domain.SOCIAL,
            PERCENT,
            20,
            90,
            mastery=80,
            bank="Greeting people",
            baseline="Waves when prompted in about 2 of 10 arrivals.",
            priority=3,
        ),
    ),
    reports=(
        "Mother reports Mateo said 'más' and 'agua' at dinner this week.",
        "Grandmother says he led her to the fridge and said 'jugo'.",
        "Family reports a long meltdown leaving the park; the visual timer helped the next day.",
        "Mother says he waved to his teacher at drop-off without a prompt.",
    ),
    activities=(
        "Train set: one car at a time, modelling 'más tren', 'tren azul'",
        "Bubbles with ready-set-go pauses",
        "Water table with cups and a boat",
        "Greeting song with the puppet at the door",
    ),
    chosen=("trains", "bubbles", "water table"),
    home_practice="Pause before giving a favourite item and wait for 'más ___'; sing the "
    "greeting song at daycare drop-off.",
    addendum=(
        3,
        "Mrs. Hernández texted the same evening: Mateo said 'más tren' at home, his first "
        "two-word request seen outside the clinic.",
    ),
)

ANAYA_CARE = Care(
    weeks=22,
    weekday=2,
    start="15:30",
    minutes=45,
    location=CLINIC,
    reason="Referred by her 1st-grade teacher and her parents: slow, tiring handwriting, "
    "trouble with buttons and zippers, loses track of multi-step instructions.",
    observations="Holds the pencil in a fisted grasp and presses hard; complained her hand "
    "hurt after 3 minutes of copying. Could not fasten buttons on a worn vest. Chatty and "
    "eager; needed reminders to return to task after 4 to 5 minutes.",
    summary="Anaya is a verbal, kind 6-year-old with developmental coordination difficulties: "
    "visual-motor integration and fine motor precision are below average, and an immature "
    "grasp makes writing slow and tiring. Strong language and her love of drawing are "
    "great levers for practice.",
    scores=(
        Score("beery-vmi", "Visual-Motor Integration", 78),
        Score("bot-2", "Fine Motor Precision", 8),
    ),
    growth_z=(0.1, -0.2),
    priorities="Writing without her hand hurting, so homework is not a fight; dressing "
    "herself for school in the morning.",
    copm=(
        Copm("Doing up her coat buttons", 8, (3, 2), (7, 7)),
        Copm("Homework handwriting without tears", 9, (3, 3), (5, 6)),
        Copm("Getting dressed for school on her own", 7, (4, 4), (6, 7)),
    ),
    goals=(
        DemoGoal(
            "Tripod grasp",
            Domain.FINE_MOTOR,
            PERCENT,
            10,
            90,
            course="master",
            mastery=80,
            bank="Tripod pencil grasp",
            baseline="Holds crayons and pencils in a fisted grasp in 9 of 10 attempts.",
            priority=1,
        ),
        DemoGoal(
            "Buttoning her coat",
            Domain.SELF_CARE,
            PERCENT,
            0,
            70,
            mastery=80,
            bank="Buttoning a coat",
            baseline="Cannot fasten half-inch buttons on a worn coat; manages a large button "
            "on a practice board.",
            priority=2,
            child_words="I want to do my own coat buttons like my friends.",
        ),
        DemoGoal(
            "Writing her first name",
            Domain.SCHOOL_READINESS,
            PERCENT,
            30,
            80,
            mastery=80,
            bank="Writing own first name",
            baseline="Writes ANAYA with reversed or unrecognizable letters in 7 of 10 trials.",
            priority=3,
        ),
    ),
    reports=(
        "Mother says homework took 20 minutes instead of 40 this week.",
        "Father reports she buttoned the bottom two buttons of her cardigan herself.",
        "Teacher's note: Anaya finished the journal page with the class.",
        "Anaya says her hand 'only hurt a little' after spelling practice.",
    ),
    activities=(
        "Theraputty warm-up",
        "Golf-pencil drawing on the easel",
        "Button board and dress-up vest",
        "Unicorn tracing maze",
    ),
    chosen=("unicorn drawing", "play-dough cookies", "gymnastics obstacle course"),
    home_practice="Two minutes of clothespins and putty before homework; buttons on the "
    "dress-up vest at bedtime.",
    assistant_every=2,
    last_note="awaiting_cosign",
)

DEV_CARE = Care(
    weeks=14,
    weekday=1,
    start="11:00",
    minutes=40,
    location=HOME,
    reason="Referred at 22 months by his pediatrician: about 10 words, frustration and "
    "hitting when he is not understood.",
    observations="Followed 'give me the dinosaur' and 'put it in the box' without gestures. "
    "Said 'ba' (ball) and 'uh-oh'; imitated actions readily but no words on request. Hit "
    "his mother twice when she did not understand what he wanted.",
    summary="Dev understands far more than he says: receptive language is close to age "
    "level while expressive language is delayed. He imitates actions readily and is "
    "starting to copy words in play; hitting happens when he cannot make himself "
    "understood.",
    scores=(
        Score("pls-5", "Auditory Comprehension", 94),
        Score("pls-5", "Expressive Communication", 76),
    ),
    delayed=("language_communication",),
    growth_z=(-0.4, -0.1),
    priorities="More words so he can tell us what he wants, and less hitting his sister.",
    goals=(
        DemoGoal(
            "Imitating words",
            Domain.COMMUNICATION,
            COUNT,
            2,
            11,
            course="master",
            mastery=10,
            unit="different words imitated",
            bank="Imitating words",
            baseline="Imitates 1 to 2 words in a 40-minute session.",
            priority=1,
        ),
        DemoGoal(
            "Hitting when not understood",
            Domain.EMOTIONAL_REGULATION,
            COUNT,
            6,
            1,
            mastery=1,
            lower_is_better=True,
            unit="hitting episodes",
            statement="By the review date, Dev will use a word, sign or gesture instead of "
            "hitting when he is not understood, with no more than 1 hitting episode in a "
            "session, in 3 consecutive sessions.",
            baseline="Hits 5 to 7 times in a 40-minute session, mostly when a request is not "
            "understood.",
            gas=(
                "Hits 5 or more times in a session",
                "Hits 2 to 4 times; sometimes signs 'help'",
                "Hits at most once a session, using words, signs or gestures instead",
                "No hitting in a session; asks for help with a word or sign",
                "No hitting for two weeks at home and daycare, as the family reports",
            ),
            strategies="Model 'help' and 'more' signs at every pause\nName his feeling, then "
            "offer two choices\nPraise gentle hands right away",
            priority=2,
        ),
    ),
    reports=(
        "Mother counted 4 new words this week, including 'dino' and 'bubble'.",
        "Father says Dev signed 'help' when his tower fell instead of hitting.",
        "Daycare reports one hitting incident, over a toy lawn mower.",
        "Anaya taught him to say 'roar' with his dinosaurs.",
    ),
    activities=(
        "Dinosaur puppets with sound and word models",
        "Bubbles: 'more', 'pop', 'go'",
        "Toy lawn mower pushes with 'ready, set, go'",
        "Snack routine with choices",
    ),
    chosen=("dinosaurs", "bubbles", "lawn mower"),
    home_practice="Offer two choices at snack and wait five seconds for a word or sign; "
    "model 'help' when something is hard.",
)

AVA_CARE = Care(
    weeks=24,
    weekday=3,
    start="16:00",
    minutes=45,
    location=CLINIC,
    reason="Referred by her parents and school: organising her things between two homes, "
    "avoiding PE because of coordination, difficulty staying seated for work.",
    observations="Packed 2 of 6 items for school without reminders. Jumping jacks broke down "
    "after 2 repetitions (arms and legs out of time). Stayed seated for about 3 minutes of "
    "a writing task, then stood to work.",
    summary="Ava is a funny, creative 8-year-old with ADHD (inattentive type) and motor "
    "coordination difficulties: bilateral coordination and balance are below average. She "
    "organises best with picture checklists and movement breaks, and one routine shared by "
    "both homes matters more than any single tool.",
    scores=(
        Score("bot-2", "Bilateral Coordination", 9),
        Score("mabc-2", "Total Test Score", 5),
    ),
    growth_z=(0.4, 0.2),
    priorities="One backpack routine that works in both homes; feeling confident in PE.",
    goals=(
        DemoGoal(
            "Packing her backpack",
            Domain.SCHOOL_READINESS,
            STEPS,
            33,
            100,
            course="master",
            mastery=100,
            steps=6,
            statement="By the review date, Ava will pack her school backpack using a 6-step "
            "picture checklist (homework folder, reader, lunch box, water bottle, PE kit on "
            "PE days, check the list) without reminders, in 3 consecutive sessions.",
            baseline="Packs 2 of the 6 items without reminders; items are often left at the "
            "other parent's home.",
            gas=(
                "Completes 2 or fewer steps without reminders",
                "Completes 3 to 5 steps with the checklist and one reminder",
                "Completes all 6 steps with the checklist and no reminders",
                "Completes all 6 steps and ticks the list herself in both homes",
                "Packs her bag without the checklist for two weeks, as both parents report",
            ),
            strategies="Same laminated checklist by both front doors\nPack the night before, "
            "at the same time in both homes\nTick each step with a dry-erase marker",
            priority=1,
        ),
        DemoGoal(
            "Jumping jacks",
            Domain.GROSS_MOTOR,
            COUNT,
            2,
            9,
            mastery=10,
            unit="coordinated jumping jacks in a row",
            bank="Jumping jacks",
            baseline="Does 2 coordinated jumping jacks before arms and legs lose time.",
            priority=2,
            child_words="I want to keep up in the PE warm-up.",
        ),
        DemoGoal(
            "Seated table work",
            Domain.SENSORY,
            SECONDS,
            180,
            540,
            mastery=600,
            unit="seconds seated and engaged",
            bank="Sitting for table work with sensory supports",
            baseline="Stays seated and engaged for about 3 minutes before standing.",
            priority=3,
        ),
    ),
    reports=(
        "Mom says the backpack checklist is taped by both front doors now.",
        "Dad reports Ava forgot her reader on Thursday but remembered her PE kit.",
        "Ava says she did the PE warm-up 'almost like everyone'.",
        "Teacher emailed that the wobble cushion helps during reading.",
    ),
    activities=(
        "Backpack packing race with the picture checklist",
        "Jumping-jack rhythm with a metronome app",
        "Wobble cushion and timer for a bracelet-design worksheet",
        "Animal-walk obstacle course",
    ),
    chosen=("horse obstacle course", "Minecraft building cards", "friendship bracelets"),
    home_practice="Pack the backpack with the checklist every evening in both homes; five "
    "jumping jacks before dinner.",
    all_guardians_sign=True,
)

LIAM_CARE = Care(
    weeks=16,
    weekday=0,
    start="09:00",
    minutes=45,
    location=HOME,
    reason="Born at 32 weeks. Referred at 15 months (13 months corrected) for low trunk tone "
    "and not yet pulling to stand.",
    observations="Sat independently and crawled on hands and knees. Pulled to stand at the "
    "couch with effort and cruised two steps; did not stand without support. Lifted his "
    "feet and cried on the grass in the garden.",
    summary="Liam is a sociable toddler with low tone in his trunk and hips. Gross motor "
    "skills are below the range expected for his corrected age; he tolerates weight-bearing "
    "best with shoes on and music playing. His strong interest in faces and voices makes "
    "him easy to engage.",
    scores=(
        Score("pdms-3", "Gross Motor Index", 72),
        Score("bayley-4", "Motor Composite", 76),
    ),
    delayed=("movement_physical",),
    growth_z=(-0.8, -1.1),
    priorities="Walking, so he can keep up with his cousins; being okay with grass and sand "
    "at the park.",
    goals=(
        DemoGoal(
            "Walking on his own",
            Domain.GROSS_MOTOR,
            COUNT,
            0,
            16,
            mastery=20,
            unit="steps in a row without support",
            bank="Walking independently",
            baseline="Cruises along furniture; takes no steps without support.",
            priority=1,
        ),
        DemoGoal(
            "Standing up from the floor",
            Domain.GROSS_MOTOR,
            GAS_ONLY,
            -2,
            0,
            statement="By the review date, Liam will move from sitting on the floor to "
            "standing in the middle of the room without holding on to furniture or a person.",
            baseline="Pulls to stand only at furniture.",
            gas=(
                "Pulls to stand only at furniture",
                "Stands up from the floor with one hand held",
                "Stands up from the floor without support once in a session",
                "Stands up without support several times in a session and takes steps",
                "Stands up and walks off without support at home and at the park",
            ),
            strategies="Bear-walk to stand over a soft ball\nReach for bubbles above head "
            "height\nPractice in shoes first, then barefoot",
            priority=2,
        ),
        DemoGoal(
            "Barefoot on grass",
            Domain.SENSORY,
            SECONDS,
            5,
            50,
            mastery=60,
            unit="seconds barefoot on grass",
            statement="By the review date, Liam will stand or walk barefoot on grass or sand "
            "for 1 minute without crying, in 3 consecutive sessions.",
            baseline="Cries and lifts his feet within 5 seconds on grass.",
            gas=(
                "Cries and lifts his feet within 10 seconds",
                "Tolerates 15 to 45 seconds with a favourite song",
                "Tolerates 1 minute without crying",
                "Plays on grass or sand for 3 minutes",
                "Chooses to walk on grass or sand at the park, as his mother reports",
            ),
            strategies="Start on a towel over the grass, then fold it back\nSing his "
            "sister's song while he stands\nFirm pressure to the soles of his feet first",
            priority=3,
        ),
    ),
    reports=(
        "Mother says Liam stood alone for a few seconds by the couch this week.",
        "Mother reports he cried less at the park when she sang.",
        "His big sister walked with him holding one hand all weekend.",
        "Father (night shifts) saw Liam take two steps to him on Sunday.",
    ),
    activities=(
        "Push-toy walking down the hallway",
        "Standing at the coffee table with music",
        "Bubbles above head height",
        "Towel-on-the-grass game",
    ),
    chosen=("music with a beat", "peekaboo behind the couch", "bubbles"),
    home_practice="Three short standing games a day at the coffee table; one minute on the "
    "towel in the garden, folding it back a little each day.",
)

ISA_CARE = Care(
    weeks=20,
    weekday=4,
    start="14:00",
    minutes=60,
    location=CLINIC,
    reason="Spastic diplegic cerebral palsy; re-evaluation to plan for kindergarten: stairs, "
    "tiring on long distances, keeping up with her class.",
    observations="Walked 30 metres with her posterior walker and AFOs in about 3 minutes, "
    "with two rests. Climbed 4 stairs step-to with both hands on the rail and stand-by "
    "help. Strong upper body; sang the whole time.",
    summary="Isa is a determined 5-year-old with spastic diplegia (GMFCS level III). She "
    "walks with a posterior walker and AFOs and tires on longer distances; stairs need both "
    "rails and help. Music is her best motivator, and the family would like Spanish for "
    "sessions and reports.",
    scores=(
        Score("gmfm-66", "GMFM-66 score", 52, "GMFCS level III range"),
        Score("pedi-cat", "Mobility", 31),
    ),
    delayed=("movement_physical",),
    growth_z=(-1.2, -0.9),
    priorities="Subir las escaleras de la escuela con sus amigos (climbing the school stairs "
    "with her friends); less tired at the end of the day.",
    goals=(
        DemoGoal(
            "Stairs with one rail",
            Domain.GROSS_MOTOR,
            PERCENT,
            0,
            60,
            mastery=80,
            bank="Climbing stairs with alternating feet",
            baseline="Climbs step-to with both hands on the rail and stand-by help; no "
            "alternating steps.",
            priority=1,
        ),
        DemoGoal(
            "Walker speed over 30 metres",
            Domain.GROSS_MOTOR,
            SECONDS,
            180,
            100,
            mastery=90,
            lower_is_better=True,
            unit="seconds for 30 metres",
            statement="By the review date, Isa will walk 30 metres with her posterior walker "
            "in 90 seconds or less, without rests, in 3 consecutive sessions.",
            baseline="Walks 30 metres in about 3 minutes with two rests.",
            gas=(
                "Takes 3 minutes or more, with rests",
                "Takes 2 to 3 minutes without rests",
                "Takes 90 seconds or less",
                "Takes 75 seconds or less and keeps up with her class in the hallway",
                "Walks the school hallway at her class's pace all week, as her teacher reports",
            ),
            strategies="Timed walks to her favourite Frozen song\nTreadmill intervals with "
            "the walker\nRest breaks planned, not waited for",
            priority=2,
        ),
        DemoGoal(
            "Dancing at the school show",
            Domain.PLAY,
            GAS_ONLY,
            -2,
            1,
            statement="By the review date, Isa will stand without her walker, holding a "
            "partner's hands, and move to music for 1 minute.",
            baseline="Stands without her walker for under 10 seconds with both hands held.",
            gas=(
                "Stands without her walker for under 10 seconds with both hands held",
                "Stands for 30 seconds with both hands held, swaying to music",
                "Moves to music for 1 minute holding a partner's hands",
                "Moves to music for 1 minute holding one hand",
                "Dances in the school show with her class",
            ),
            strategies="Frozen songs, one verse at a time\nPractice with her brother as "
            "partner\nWeight shifts side to side before stepping",
            priority=3,
            child_words="Quiero bailar en el show de la escuela (I want to dance in the "
            "school show).",
        ),
    ),
    reports=(
        "Su papá cuenta que subió tres escalones con una sola mano en el barandal.",
        "Mother says Isa walked from the car to the classroom without resting.",
        "Her brother reports they practised dancing to 'Let It Go' every evening.",
        "Teacher says she was less tired after recess this week.",
    ),
    activities=(
        "Stairs with one rail and a song for each step",
        "Timed walker laps of the gym",
        "Dancing to Frozen songs with a partner",
        "Pool-noodle balance games",
    ),
    chosen=("Frozen songs", "dance party", "pool noodles"),
    home_practice="Stairs at home twice a day with one hand on the rail; one dance song "
    "standing with her brother each evening.",
)

ELI_CARE = Care(
    weeks=18,
    weekday=0,
    start="16:00",
    minutes=45,
    location=CLINIC,
    reason="Referred by his 2nd-grade teacher: follows only short directions, pauses to find "
    "words, struggles to retell a story.",
    observations="Followed 2-step directions reliably but only 1 of 5 three-step directions. "
    "Long pauses and 'that thing' for words he knows. Retold a short story with the "
    "character only. Named 14 dinosaurs without hesitation.",
    summary="Eli is a patient, puzzle-loving 7-year-old with a mixed receptive-expressive "
    "language disorder. Following directions and formulating sentences are below average; "
    "vocabulary is a relative strength. Visual supports and dinosaur topics keep him "
    "engaged.",
    scores=(
        Score("celf-5", "Following Directions", 74),
        Score("celf-5", "Formulated Sentences", 72),
        Score("ppvt-5", "Receptive Vocabulary", 88),
    ),
    growth_z=(0.0, 0.3),
    priorities="Understanding what his teacher asks the first time; telling me about his day.",
    goals=(
        DemoGoal(
            "Three-step directions",
            Domain.COMMUNICATION,
            PERCENT,
            20,
            70,
            mastery=80,
            statement="By the review date, Eli will follow 3-step classroom directions (e.g. "
            "'take out your red folder, turn to page 4 and write your name') without "
            "repetition in 80 % of opportunities.",
            baseline="Follows 3-step directions without repetition in 1 of 5 opportunities.",
            gas=(
                "Follows 3-step directions in 20 % of opportunities or fewer",
                "Follows them in about half of opportunities, or after one repetition",
                "Follows them without repetition in 80 % of opportunities",
                "Follows them in 80 % of opportunities in class, as his teacher reports",
                "Follows 4-step directions in class without repetition",
            ),
            strategies="Visual first-then-last strip\nHe repeats the direction before "
            "starting\nTeacher gives directions one at a time, then all three",
            priority=1,
        ),
        DemoGoal(
            "Retelling a story",
            Domain.COMMUNICATION,
            STEPS,
            20,
            100,
            course="master",
            mastery=80,
            steps=5,
            bank="Retelling a story",
            baseline="Retells a story with the character only (1 of 5 elements).",
            priority=2,
            child_words="I want to tell my dinosaur stories to my class.",
        ),
        DemoGoal(
            "Answering WH-questions",
            Domain.COMMUNICATION,
            PERCENT,
            30,
            70,
            mastery=80,
            bank="Answering WH-questions",
            baseline="Answers who, what and where questions about a story in 3 of 10 trials.",
            priority=3,
        ),
    ),
    reports=(
        "Mother says Eli told her the whole dinosaur comic he drew at school.",
        "Mother reports homework instructions still need repeating at bedtime.",
        "Teacher's note: Eli followed the art-class steps without help.",
        "Eli says reading time is 'easier with the picture cards'.",
    ),
    activities=(
        "Story grammar cards with a dinosaur comic",
        "Barrier game with 3-step directions",
        "WH-question dice after a short story",
        "Describing game: 'what am I?'",
    ),
    chosen=("dinosaur comics", "space puzzle", "drawing"),
    home_practice="Bedtime story: Eli retells it with the five story cards; mother gives one "
    "3-step direction a day and he repeats it back.",
)

ZOE_CARE = Care(
    weeks=22,
    weekday=1,
    start="13:00",
    minutes=45,
    location=CLINIC,
    reason="Down syndrome; referred for feeding (gags on mixed textures, limited foods) and "
    "speech that is hard for unfamiliar listeners to understand.",
    observations="Munching pattern with no lateral tongue movement; gagged once on a "
    "meltable puff. Drank from a straw with liquid loss. Used 12 signs and a few words "
    "during play; combined a sign and a word once ('more' + 'bubbles').",
    summary="Zoe is a very social 4-year-old with Down syndrome who loves to imitate. Oral "
    "motor skills are immature (no rotary chew yet) and language is delayed; she "
    "communicates well with signs. Feeding and communication goals are worked on together "
    "at snack time.",
    scores=(
        Score("pls-5", "Total Language Score", 62),
        Score("vineland-3", "Communication", 68),
    ),
    delayed=("language_communication", "movement_physical"),
    growth_z=(-1.9, -0.6),
    priorities="Eating what the family eats at dinner; being understood at preschool.",
    goals=(
        DemoGoal(
            "Chewing solid foods",
            Domain.FEEDING,
            PERCENT,
            10,
            70,
            mastery=80,
            bank="Chewing solid foods",
            baseline="Munches with no rotary chew; gags on mixed textures.",
            priority=1,
        ),
        DemoGoal(
            "Two-word combinations",
            Domain.COMMUNICATION,
            PERCENT,
            10,
            60,
            mastery=80,
            statement="By the review date, Zoe will combine two words or signs (e.g. 'more "
            "bubbles', 'mommy go') to request or comment in 80 % of opportunities during "
            "play.",
            baseline="Uses single signs or words; combined two once in the evaluation.",
            gas=(
                "Uses single words or signs only",
                "Combines two words or signs in about a third of opportunities",
                "Combines two words or signs in 80 % of opportunities",
                "Combines words and signs at preschool, as her teacher reports",
                "Uses three-word combinations in play",
            ),
            strategies="Model sign plus word, then pause\nExpand every single word by one\n"
            "Snack-time choices between two foods",
            priority=2,
        ),
        DemoGoal(
            "Straw drinking",
            Domain.FEEDING,
            PERCENT,
            30,
            100,
            course="master",
            mastery=80,
            bank="Drinking through a straw",
            baseline="Drinks from a straw with liquid loss in 7 of 10 sips.",
            priority=3,
        ),
        DemoGoal(
            "Trying new foods",
            Domain.FEEDING,
            STEPS,
            25,
            38,
            mastery=100,
            steps=8,
            bank="Trying new foods",
            baseline="Tolerates a new food on her plate and touches it (2 of 8 steps).",
            priority=4,
            added_weeks_ago=2,
        ),
    ),
    reports=(
        "Grandmother says Zoe chewed a piece of banana bread at lunch.",
        "Mother reports she signed 'more' and said 'apple' together at dinner.",
        "Preschool teacher understood 'bye Elmo' at pick-up.",
        "Grandmother says Zoe gagged once on rice with sauce, then tried again.",
    ),
    activities=(
        "Snack with meltable solids on the molars",
        "Straw drinks with a honey bear cup",
        "Elmo songs with sign-and-word pauses",
        "Bubble play: 'more bubbles', 'bubbles pop'",
    ),
    chosen=("Elmo songs", "bubbles", "stacking cups"),
    home_practice="At each meal, one bite of a meltable solid placed on the side teeth; "
    "expand each word or sign Zoe uses by one word.",
)

JAYDEN_CARE = Care(
    weeks=24,
    weekday=2,
    start="16:30",
    minutes=60,
    location=CLINIC,
    reason="Autism and ADHD: rigid about routines, meltdowns when plans change, difficulty "
    "joining group games; referred for behaviour support and social skills.",
    observations="Calm and talkative about subway maps. When the planned game was swapped, "
    "he cried, dropped to the floor and needed 6 minutes to recover. Watched peers in the "
    "waiting room but did not approach them.",
    summary="Jayden is an honest, bright 10-year-old who reads two grades ahead. Adaptive "
    "behaviour and socialization are below average; unexpected changes lead to meltdowns "
    "several times a week. Visual schedules, warnings and his interest in trains are the "
    "main supports.",
    scores=(
        Score("vineland-3", "Adaptive Behavior Composite", 74),
        Score("vineland-3", "Socialization", 68),
    ),
    growth_z=(0.6, 0.9),
    priorities="Fewer meltdowns when plans change; a friend to sit with at lunch.",
    goals=(
        DemoGoal(
            "Fewer meltdowns",
            Domain.EMOTIONAL_REGULATION,
            COUNT,
            5,
            0,
            course="master",
            mastery=1,
            lower_is_better=True,
            unit="meltdowns",
            bank="Fewer meltdowns",
            baseline="4 to 5 meltdowns in a 60-minute session when activities change.",
            priority=1,
        ),
        DemoGoal(
            "Accepting a change of plan",
            Domain.EMOTIONAL_REGULATION,
            RATING,
            1,
            5,
            course="master",
            mastery=4,
            statement="By the review date, when a planned activity changes, Jayden will use "
            "his 'change card' and move to the new plan with a calm rating of 4 or better on "
            "the 5-point scale, in 3 consecutive sessions.",
            baseline="Rated 1 (meltdown) when a planned activity changes.",
            gas=(
                "Meltdown at every change of plan (rating 1)",
                "Protests but moves on with adult support (rating 2 to 3)",
                "Uses the change card and moves on calmly (rating 4)",
                "Moves on calmly without the card (rating 5)",
                "Accepts changes calmly at school and home, as his mother and teacher report",
            ),
            strategies="Change card on his visual schedule\nTwo-minute warning with a "
            "timer\nOffer a train fact break after a change",
            priority=2,
        ),
        DemoGoal(
            "Joining peers in a game",
            Domain.SOCIAL,
            PERCENT,
            10,
            60,
            mastery=75,
            bank="Joining peers in play",
            baseline="Watches peers but does not approach them.",
            priority=3,
            child_words="I want to play Minecraft with the kids at lunch.",
        ),
    ),
    reports=(
        "Mother says Jayden used the change card when the bus was late.",
        "Aunt reports a meltdown when the subway museum trip was cancelled.",
        "Jayden says he sat with two boys from his class at lunch.",
        "Mother reports the visual schedule is on the fridge and he checks it himself.",
    ),
    activities=(
        "Visual schedule with a planned change",
        "Minecraft board game with a peer from the social group",
        "Subway-map turn-taking game",
        "Role play: asking to join a game",
    ),
    chosen=("subway maps", "Lego Technic", "Minecraft cards"),
    home_practice="One planned change a day with the change card; practise the 'watch, get "
    "close, ask' steps with his cousin on weekends.",
    last_note="draft",
)

EMMA_CARE = Care(
    weeks=20,
    weekday=0,
    start="15:30",
    minutes=45,
    location=CLINIC,
    reason="Handwriting legibility and speed, slow typing, tying shoelaces; anxious about "
    "being slower than her classmates.",
    observations="Letters vary in size and float above the line; 4 of 10 copied words fully "
    "legible. Typed 9 words a minute with two fingers. Tied a bow that came undone at once. "
    "Asked to work without her mother in the room.",
    summary="Emma is a persistent, artistic 11-year-old with developmental coordination "
    "disorder and dyslexia. Fine motor integration and manual dexterity are below average. "
    "She chose her own goals and does best when she sees her own progress.",
    scores=(
        Score("bot-2", "Fine Motor Integration", 37),
        Score("bot-2", "Manual Dexterity", 39),
        Score("beery-vmi", "Visual-Motor Integration", 81),
    ),
    growth_z=(0.2, 0.1),
    priorities="Emma: 'I want my teachers to read my writing, and nobody tying my shoes.' "
    "Mother: less worry about school work.",
    goals=(
        DemoGoal(
            "Legible handwriting",
            Domain.FINE_MOTOR,
            PERCENT,
            40,
            60,
            course="plateau",
            mastery=90,
            bank="Legible handwriting",
            baseline="4 of 10 copied words fully legible; letters float above the line.",
            priority=1,
            child_words="I want my teachers to be able to read my writing.",
            comment="Letter size steady, baseline alignment still inconsistent.",
        ),
        DemoGoal(
            "Typing speed",
            Domain.SCHOOL_READINESS,
            COUNT,
            9,
            21,
            mastery=25,
            unit="words per minute",
            statement="By the review date, Emma will type a copied paragraph at 25 words per "
            "minute or more with at most 2 errors, in 3 consecutive sessions.",
            baseline="Types 9 words per minute with two fingers.",
            gas=(
                "Types 14 words per minute or fewer",
                "Types 15 to 24 words per minute",
                "Types 25 words per minute with at most 2 errors",
                "Types 30 words per minute with at most 2 errors",
                "Types her homework at 30 words per minute or more, as she and her teachers report",
            ),
            strategies="Ten minutes of a typing game three times a week\nHome-row stickers\n"
            "Typing her manga captions",
            priority=2,
            child_words="I want to type my essays as fast as my friends.",
        ),
        DemoGoal(
            "Tying shoelaces",
            Domain.SELF_CARE,
            PERCENT,
            20,
            100,
            course="master",
            mastery=80,
            bank="Tying shoelaces",
            baseline="Ties a bow that holds in 2 of 10 trials.",
            priority=3,
            child_words="I don't want anyone to tie my shoes for me anymore.",
        ),
    ),
    reports=(
        "Emma says she typed her whole book report this week.",
        "Mother reports the shoelaces held through a whole school day.",
        "Emma says her science teacher still asked her to rewrite a paragraph.",
        "Mother says Emma was less anxious about the writing test.",
    ),
    activities=(
        "Handwriting on raised-line paper with a slant board",
        "Typing game with manga captions",
        "Two-loop shoelace practice on her own shoes",
        "Manga panel drawing with fine-tip pens",
    ),
    chosen=("manga drawing", "horse trivia typing", "baking-recipe copying"),
    home_practice="Typing game three times a week; copy one manga caption a day on "
    "raised-line paper.",
    assistant_every=2,
)

CAMILA_CARE = Care(
    weeks=16,
    weekday=4,
    start="10:00",
    minutes=45,
    location=HOME,
    reason="Global developmental delay: few words in Spanish, not yet using a spoon, falls "
    "often; referred at 25 months.",
    observations="Visita en casa con la abuela. Camila scooped with a spoon once with hand "
    "over hand help, stacked 2 blocks, and pulled her hand away from shaving foam after "
    "a few seconds. Took turns rolling a ball and laughed at peekaboo.",
    summary="Camila is a warm, curious 2-year-old with delays in fine motor, self-care and "
    "language. She learns best in short play routines at home with her grandmother, who "
    "speaks Spanish only; sessions and reports are in Spanish.",
    scores=(
        Score("bayley-4", "Motor Composite", 74),
        Score("bayley-4", "Cognitive Composite", 76),
    ),
    delayed=("language_communication", "movement_physical", "cognitive"),
    growth_z=(-0.5, 0.2),
    priorities="Que coma sola con cuchara (that she eats by herself with a spoon); que no se "
    "caiga tanto (that she falls less).",
    goals=(
        DemoGoal(
            "Eating with a spoon",
            Domain.FEEDING,
            PERCENT,
            10,
            70,
            mastery=80,
            bank="Eating with a spoon",
            baseline="Scoops with hand-over-hand help; mostly eats with her fingers.",
            priority=1,
        ),
        DemoGoal(
            "Block tower",
            Domain.FINE_MOTOR,
            COUNT,
            2,
            7,
            course="master",
            mastery=6,
            unit="blocks in a tower",
            bank="Stacking a block tower",
            baseline="Stacks 2 blocks before knocking them over.",
            priority=3,
        ),
        DemoGoal(
            "Messy play",
            Domain.SENSORY,
            SECONDS,
            20,
            150,
            mastery=180,
            unit="seconds in messy play",
            bank="Playing with messy textures",
            baseline="Pulls her hand away from shaving foam after a few seconds.",
            priority=2,
        ),
    ),
    reports=(
        "La abuela dice que Camila comió yogur con cuchara casi sola.",
        "Grandmother reports two falls on the patio step this week.",
        "La abuela cuenta que jugó con masa de sal sin llorar.",
        "Grandmother says Camila said 'agua' and 'más'.",
    ),
    activities=(
        "Yogurt with a short, thick-handled spoon",
        "Block towers knocked down with a song",
        "Shaving foam and water play in the tub",
        "Songs with hand motions",
    ),
    chosen=("water play", "baby doll feeding", "songs with hand motions"),
    home_practice="Spoon practice with yogurt at breakfast; two minutes of water or dough play "
    "each afternoon.",
)

ETHAN_CARE = Care(
    weeks=22,
    weekday=1,
    start="15:30",
    minutes=45,
    location=CLINIC,
    reason="ADHD and global developmental delay: his kindergarten teacher reports he cannot "
    "sit for circle time and crashes into peers.",
    observations="In constant motion; crashed into the crash mat 20 times in 5 minutes and "
    "asked for more spinning. Stayed seated for 90 seconds of a table task. When upset "
    "about losing a game he threw the pieces; did not use a calming strategy offered.",
    summary="Ethan is an energetic, brave 6-year-old who seeks movement and deep pressure far "
    "more than other children. Body awareness is an area of definite difficulty. Heavy "
    "work before seated tasks and a choice board of calming strategies are the plan's "
    "core, coordinated with his BCBA and his father.",
    scores=(
        Score("sp2", "Seeking/Seeker", 130, "Much more than others"),
        Score("spm-2", "Body Awareness", 68, "Severe difficulties"),
        Score("beery-vmi", "Visual-Motor Integration", 85),
    ),
    growth_z=(0.9, 1.1),
    priorities="Sitting through circle time so he can learn with his class; fewer calls from "
    "school about pushing.",
    goals=(
        DemoGoal(
            "Seated table work",
            Domain.SENSORY,
            SECONDS,
            90,
            480,
            mastery=600,
            unit="seconds seated and engaged",
            bank="Sitting for table work with sensory supports",
            baseline="Stays seated for about 90 seconds of a table task.",
            priority=1,
        ),
        DemoGoal(
            "Using a calming strategy",
            Domain.EMOTIONAL_REGULATION,
            PERCENT,
            10,
            70,
            course="regression",
            mastery=80,
            bank="Using a calming strategy",
            baseline="Throws or hits when upset; does not use an offered strategy.",
            priority=2,
            comment="Harder this week: needed co-regulation before choosing from the board.",
        ),
        DemoGoal(
            "Jumping jacks",
            Domain.GROSS_MOTOR,
            COUNT,
            1,
            11,
            course="master",
            mastery=10,
            unit="coordinated jumping jacks in a row",
            bank="Jumping jacks",
            baseline="Does 1 coordinated jumping jack, then crashes to the mat.",
            priority=3,
            child_words="I want to do jumping jacks like a superhero.",
        ),
    ),
    reports=(
        "Father says circle time went better on the days with heavy work first.",
        "Teacher's note: no pushing in line on Tuesday and Wednesday.",
        "Father reports Ethan picked 'squeeze the pillow' from the board at home.",
        "Ethan says he is 'the jumping-jack superhero' now.",
    ),
    late_reports=(
        "Father reports a hard few weeks: his mother's deployment was extended and bedtime "
        "is a struggle again.",
        "Teacher called twice this week about pushing at recess.",
        "Father says Ethan refused the calming board at home and threw it.",
    ),
    activities=(
        "Heavy work: pushing the therapy ball up the ramp",
        "Movement cushion and timer for a monster-truck puzzle",
        "Calming choice board practice after a game",
        "Superhero jumping-jack training",
    ),
    chosen=("trampoline", "monster trucks", "superhero obstacle course"),
    home_practice="Ten minutes of heavy work before homework; practise one calming strategy "
    "from the board at bedtime.",
    sensory_questionnaire=True,
)

AMARA_CARE = Care(
    weeks=18,
    weekday=3,
    start="16:30",
    minutes=45,
    location=CLINIC,
    reason="Stuttering on first words when rushed and avoiding speaking in class; /r/ errors.",
    observations="Repetitions and blocks on the first word of 3 in 10 phrases when retelling "
    "quickly; fluent when reading aloud slowly. Substituted /w/ for /r/ in most words. "
    "Confident and chatty about soccer.",
    summary="Amara is a confident reader and soccer captain with childhood-onset fluency "
    "disorder and a residual /r/ error. Stuttering increases with time pressure and has "
    "led her to avoid speaking in class. Easy onset and planned pausing are the focus, "
    "with the science fair as her own goal.",
    scores=(Score("gfta-3", "Sounds-in-Words", 82),),
    growth_z=(0.5, 0.4),
    priorities="Amara: presenting at the science fair. Mother: that she raises her hand in "
    "class again.",
    goals=(
        DemoGoal(
            "Easy onset",
            Domain.COMMUNICATION,
            PERCENT,
            30,
            90,
            course="master",
            mastery=80,
            bank="Using easy onset for smooth speech",
            baseline="Uses easy onset in 3 of 10 opportunities in structured conversation.",
            priority=2,
        ),
        DemoGoal(
            "Presenting at the science fair",
            Domain.COMMUNICATION,
            GAS_ONLY,
            -2,
            1,
            statement="By the review date, Amara will give a 2-minute talk to a small group, "
            "using easy onset and planned pauses, and rate her own speech as smooth enough.",
            baseline="Avoids speaking to groups; reads aloud only when asked.",
            gas=(
                "Avoids speaking to a group",
                "Gives a 1-minute talk to the therapist and her mother",
                "Gives a 2-minute talk to a small group and rates it smooth enough",
                "Presents her project at the school science fair",
                "Presents at the fair and answers the judges' questions",
            ),
            strategies="Practise the talk in 3 parts with planned pauses\nVideo and self-rate "
            "each practice\nPractise for her soccer team first",
            priority=1,
            child_words="I want to present my planets project at the science fair without "
            "getting stuck.",
        ),
        DemoGoal(
            "/r/ in words",
            Domain.COMMUNICATION,
            PERCENT,
            20,
            70,
            mastery=80,
            statement="By the review date, Amara will produce /r/ correctly in all word "
            "positions in 80 % of trials during structured activities, in 3 consecutive "
            "sessions.",
            baseline="Produces /r/ correctly in 2 of 10 words.",
            gas=(
                "Produces /r/ correctly in 20 % of words or fewer",
                "Produces /r/ correctly in about half of words",
                "Produces /r/ correctly in 80 % of words",
                "Produces /r/ correctly in sentences in 80 % of trials",
                "Uses a correct /r/ in conversation at school, as her teacher reports",
            ),
            strategies="Tongue-tip-up cue with a mirror\nPlanet names with /r/ (Mars, Earth)\n"
            "Five minutes of word practice after soccer",
            priority=3,
        ),
    ),
    reports=(
        "Mother says Amara raised her hand twice in science this week.",
        "Amara says she practised her talk for her soccer team.",
        "Mother reports more stuttering during a busy week of tests.",
        "Amara says 'Mars' and 'Earth' sound right now.",
    ),
    activities=(
        "Easy onset with planet facts",
        "Science-fair talk in three parts, video and self-rating",
        "/r/ word ladder with soccer words",
        "Timed conversation game",
    ),
    chosen=("planet facts", "soccer words", "choir songs"),
    home_practice="Practise the science-fair talk once a day with planned pauses; five /r/ "
    "words after soccer practice.",
    teletherapy_every=3,
)

HARPER_CARE = Care(
    weeks=14,
    weekday=2,
    start="10:00",
    minutes=40,
    location=SCHOOL,
    reason="Phonological disorder: hard to understand for people outside the family.",
    observations="Session at daycare. Fronted /s/ to /t/ ('tun' for sun) and dropped final "
    "consonants in most words; about half of her speech understood by an unfamiliar "
    "listener. Chatty and loved the Bluey picture cards.",
    summary="Harper is a chatty, sociable 3-year-old with a phonological disorder (stopping "
    "of /s/ and final consonant deletion). She is stimulable for both, and her love of "
    "books and Bluey make practice easy at daycare and home.",
    scores=(Score("gfta-3", "Sounds-in-Words", 74),),
    delayed=("language_communication",),
    growth_z=(0.6, 0.8),
    priorities="That her daycare teachers and grandparents understand her.",
    goals=(
        DemoGoal(
            "/s/ at the start of words",
            Domain.COMMUNICATION,
            PERCENT,
            10,
            70,
            mastery=80,
            bank="Producing /s/ in words",
            baseline="Says /t/ for /s/ at the start of words in 9 of 10 trials.",
            priority=1,
        ),
        DemoGoal(
            "Final consonants",
            Domain.COMMUNICATION,
            PERCENT,
            20,
            90,
            course="master",
            mastery=80,
            statement="By the review date, Harper will say the final consonant of one-syllable "
            "words (e.g. 'cat', 'book', 'bus') in 80 % of trials, in 3 consecutive sessions.",
            baseline="Drops final consonants in 8 of 10 words.",
            gas=(
                "Drops final consonants in most words",
                "Says final consonants in about half of words",
                "Says final consonants in 80 % of words",
                "Says final consonants in short sentences",
                "Says final consonants in conversation, as her daycare teacher reports",
            ),
            strategies="Bluey picture cards with 'sticky sounds' at the end\nMinimal pairs: "
            "bee/beet, cow/cat\nGrandparents repeat the word back correctly",
            priority=2,
        ),
    ),
    reports=(
        "Mother says her grandparents understood 'bus' and 'sun' on the phone.",
        "Daycare teacher reports Harper is asking for 'soup' at lunch.",
        "Mother says Harper corrects herself on 'cat' now.",
        "Teacher says Harper read her Bluey book to a friend.",
    ),
    activities=(
        "Bluey picture cards: snake sound at the start",
        "Duck-feeding game with final sounds",
        "Painting with sticky-sound words",
        "Book reading with her favourite story",
    ),
    chosen=("Bluey cards", "painting", "duck game"),
    home_practice="Five /s/ words at bath time; repeat the word back with the final sound "
    "when she drops it.",
)
