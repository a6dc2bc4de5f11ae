"""The demo goals written without the goal bank, in the family's words and the child's:
by the goal's short name, (family English, family Spanish, "I can" English, Spanish).

Goals started from the bank take the bank's own family text (``plans.wording.drafts``).
"""

WORDINGS: dict[str, tuple[str, str, str, str]] = {
    "Hitting when not understood": (
        "When people do not understand him, Dev will use a word, a sign or a point, not his hands.",
        "Cuando no lo entienden, Dev va a usar una palabra, una seña o señalar, no las manos.",
        "I can use words, not hands.",
        "Puedo usar palabras, no las manos.",
    ),
    "Packing her backpack": (
        "Ava will pack her school bag by herself, using a picture list.",
        "Ava va a preparar su mochila sola, con una lista de dibujos.",
        "I can pack my bag.",
        "Puedo preparar mi mochila.",
    ),
    "Standing up from the floor": (
        "Liam will get up from the floor to standing without holding on.",
        "Liam va a pararse desde el piso sin agarrarse de nada.",
        "I can stand up by myself.",
        "Puedo pararme solo.",
    ),
    "Barefoot on grass": (
        "Liam will stand or walk on grass or sand with bare feet for one minute, calmly.",
        "Liam va a pararse o caminar descalzo en el pasto o la arena un minuto, tranquilo.",
        "I can walk on the grass.",
        "Puedo caminar en el pasto.",
    ),
    "Walker speed over 30 metres": (
        "Isa will walk farther and faster with her walker, with no rests.",
        "Isa va a caminar más lejos y más rápido con su andador, sin descansar.",
        "I can walk fast with my walker.",
        "Puedo caminar rápido con mi andador.",
    ),
    "Dancing at the school show": (
        "Isa will stand and dance for one minute, holding a friend's hands.",
        "Isa va a pararse y bailar un minuto, de la mano de un amigo.",
        "I can dance at the show.",
        "Puedo bailar en el show.",
    ),
    "Three-step directions": (
        "Eli will do three things the teacher asks in a row, without being told again.",
        "Eli va a hacer tres cosas seguidas que pide la maestra, sin que se lo repitan.",
        "I can do three things in a row.",
        "Puedo hacer tres cosas seguidas.",
    ),
    "Two-word combinations": (
        "Zoe will put two words or signs together, like “more bubbles”.",
        "Zoe va a juntar dos palabras o señas, como “más burbujas”.",
        "I can say two words together.",
        "Puedo decir dos palabras juntas.",
    ),
    "Accepting a change of plan": (
        "When plans change, Jayden will use his change card and stay calm.",
        "Cuando cambian los planes, Jayden va a usar su tarjeta de cambio y estar tranquilo.",
        "I can stay calm when plans change.",
        "Puedo estar tranquilo si cambian los planes.",
    ),
    "Typing speed": (
        "Emma will type faster, with few mistakes, so schoolwork takes less time.",
        "Emma va a escribir más rápido en la computadora, con pocos errores.",
        "I can type fast.",
        "Puedo escribir rápido en la computadora.",
    ),
    "Presenting at the science fair": (
        "Amara will give a short talk to a small group, with smooth speech.",
        "Amara va a dar una charla corta a un grupo pequeño, hablando con fluidez.",
        "I can give my talk.",
        "Puedo dar mi charla.",
    ),
    "/r/ in words": (
        "Amara will say the “r” sound clearly in words.",
        "Amara va a decir bien el sonido “r” en las palabras.",
        "I can say my r sound.",
        "Puedo decir el sonido r.",
    ),
    "Final consonants": (
        "Harper will say the last sound of short words, like “cat” and “bus”.",
        "Harper va a decir el último sonido de palabras cortas, como “cat” y “bus”.",
        "I can say the end of my words.",
        "Puedo decir el final de mis palabras.",
    ),
}
