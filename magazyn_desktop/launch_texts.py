"""Messages of the launch and of the command line, in Polish and English.

These are shown before the window (and its Qt translations) exists, or with no window at all, so they live in a
plain table. The window's own texts go through Qt's translation system.
"""

from __future__ import annotations

_TEXTS: dict[str, dict[str, str]] = {
    "data_dir_unusable": {
        "pl": "Nie można użyć folderu danych {path}: {reason}.\nSprawdź uprawnienia lub wskaż inny folder opcją --data-dir.",
        "en": "The data folder {path} cannot be used: {reason}.\nCheck its permissions or choose another folder with --data-dir.",
    },
    "newer_database": {
        "pl": "Baza danych pochodzi z nowszej wersji programu (wersja schematu {stored}, ta wersja zna {head}).\n"
              "Zainstaluj nowszą wersję programu. Plik nie został zmieniony.",
        "en": "The database was written by a newer version of the program (schema revision {stored}; this version knows {head}).\n"
              "Install the newer magazyn-desktop. The file was left untouched.",
    },
    "damaged_database": {
        "pl": "Plik bazy danych jest uszkodzony ({detail}).\nPrzeniesiono go do {moved_to} — nic nie zostało usunięte. "
              "Przy następnym uruchomieniu powstanie nowa baza, a wiadomości zostaną pobrane z Allegro ponownie.",
        "en": "The database file is damaged ({detail}).\nIt was moved to {moved_to}; nothing was deleted. "
              "The next start creates a new database and downloads the messages from Allegro again.",
    },
    "unreadable_database": {
        "pl": "Nie można odczytać pliku bazy danych {path} ({detail}).\nPlik nie został zmieniony ani przeniesiony. "
              "Sprawdź uprawnienia do folderu danych i czy inny program nie blokuje pliku.",
        "en": "The database file {path} cannot be read ({detail}).\nThe file was neither changed nor moved. "
              "Check the data folder's permissions and whether another program holds the file.",
    },
    "backup_failed": {
        "pl": "Nie udało się zapisać kopii zapasowej przed aktualizacją bazy ({detail}).\n"
              "Baza nie została zmieniona. Zwolnij miejsce na dysku i uruchom program ponownie.",
        "en": "The backup before upgrading the database could not be written ({detail}).\n"
              "The database was not changed. Free some disk space and start the program again.",
    },
    "upgrade_failed": {
        "pl": "Aktualizacja bazy danych nie powiodła się ({detail}).\nPrzywrócono stan sprzed aktualizacji. "
              "Szczegóły są w dzienniku: {log}",
        "en": "Upgrading the database failed ({detail}).\nThe database was restored to how it was before. "
              "Details are in the log: {log}",
    },
    "create_failed": {
        "pl": "Nie udało się utworzyć bazy danych ({detail}).\nSzczegóły są w dzienniku: {log}",
        "en": "The database could not be created ({detail}).\nDetails are in the log: {log}",
    },
    "already_running": {
        "pl": "Program jest już uruchomiony dla tego folderu danych (proces {pid}). Zamknij go i spróbuj ponownie.",
        "en": "The program is already running for this data folder (process {pid}). Close it and try again.",
    },
    "disk_full": {
        "pl": "Brak miejsca na dysku: {path} — wolne {free_mb} MB.\nNic nie zostało utracone: niewysłane odpowiedzi "
              "czekają w kolejce. Zwolnij miejsce na dysku i uruchom program ponownie.",
        "en": "No space left on the disk: {path} — {free_mb} MB free.\nNothing was lost: unsent replies stay queued. "
              "Free some disk space and run it again.",
    },
    "lock_not_created": {
        "pl": "Nie można utworzyć pliku blokady {path} ({reason}). Sprawdź uprawnienia do folderu danych.",
        "en": "The lock file {path} cannot be created ({reason}). Check the data folder's permissions.",
    },
    "already_running_unknown": {
        "pl": "Program jest już uruchomiony dla tego folderu danych (nie udało się odczytać, który to proces). "
              "Zamknij go i spróbuj ponownie.",
        "en": "The program is already running for this data folder (which process could not be read). "
              "Close it and try again.",
    },
    "primary_not_answering": {
        "pl": "Inna kopia programu (proces {pid}) trzyma folder danych, ale nie odpowiada. "
              "Zamknij ją lub uruchom ponownie komputer.",
        "en": "Another copy of the program (process {pid}) holds the data folder but does not answer. "
              "Close it or restart the computer.",
    },
    "invalid_open_id": {
        "pl": "„{value}” nie jest prawidłowym numerem rozmowy (--open). Skopiuj numer z adresu rozmowy w Allegro "
              "i spróbuj ponownie.",
        "en": "\"{value}\" is not a valid conversation number (--open). Copy the number from the conversation's "
              "address on Allegro and try again.",
    },
    "primary_without_channel": {
        "pl": "Program jest już otwarty (proces {pid}), ale nie przyjmuje poleceń od kolejnych uruchomień. "
              "Przełącz się na jego okno; szczegóły są w dzienniku.",
        "en": "The program is already open (process {pid}) but cannot take requests from another launch. "
              "Switch to its window; the log has the details.",
    },
    "waiting_for_background": {
        "pl": "Kończenie synchronizacji w tle… Okno otworzy się za chwilę.",
        "en": "Finishing the background sync… The window opens in a moment.",
    },
    "background_not_finishing": {
        "pl": "Folder danych jest zajęty przez zadanie w tle (proces {pid}), które się nie kończy. "
              "Poczekaj na jego koniec albo je zatrzymaj i spróbuj ponownie.",
        "en": "The data folder is held by a background task (process {pid}) that does not finish. "
              "Wait for it to end or stop it, then try again.",
    },
    "migrating": {
        "pl": "Aktualizowanie bazy danych…",
        "en": "Upgrading the database…",
    },
    "migrating_backup": {
        "pl": "Zapisywanie kopii zapasowej…",
        "en": "Writing a backup…",
    },
    "error_title": {
        "pl": "Magazyn – nie można uruchomić programu",
        "en": "magazyn-desktop — cannot start",
    },
    "no_display": {
        "pl": "Nie można otworzyć okna: brak ekranu lub wtyczki platformy Qt „{platform}”.\n"
              "Uruchom program w sesji graficznej albo ustaw QT_QPA_PLATFORM=offscreen do pracy bez ekranu.",
        "en": "Cannot open a window: there is no display or the Qt platform plugin \"{platform}\" is missing.\n"
              "Start the program in a desktop session, or set QT_QPA_PLATFORM=offscreen to run without a screen.",
    },
    "missing_resource": {
        "pl": "Instalacja programu jest niekompletna: {detail}.\nZainstaluj program ponownie.",
        "en": "The program's installation is incomplete: {detail}.\nInstall the program again.",
    },
    # `doctor`'s text report: labels, then each problem and warning code its report can hold.
    "doctor_status": {"pl": "Stan", "en": "Status"},
    "doctor_healthy": {"pl": "w porządku", "en": "healthy"},
    "doctor_needs_attention": {"pl": "wymaga uwagi", "en": "needs attention"},
    "doctor_data_folder": {"pl": "Folder danych", "en": "Data folder"},
    "doctor_schema": {"pl": "Schemat bazy", "en": "Schema"},
    "doctor_lock": {"pl": "Blokada", "en": "Lock"},
    "doctor_lock_free": {"pl": "wolna", "en": "free"},
    "doctor_lock_held": {"pl": "zajęta przez proces {pid}", "en": "held by process {pid}"},
    "doctor_lock_held_as": {"pl": "zajęta przez proces {pid} ({role})", "en": "held by process {pid} ({role})"},
    "doctor_role_window": {"pl": "okno programu", "en": "the window"},
    "doctor_role_sync": {"pl": "synchronizacja w tle", "en": "a background sync"},
    "doctor_role_migrate": {"pl": "aktualizacja bazy", "en": "a database upgrade"},
    "doctor_keyring": {"pl": "Menedżer haseł", "en": "Keyring"},
    "doctor_keyring_none": {"pl": "brak", "en": "none"},
    "doctor_keyring_unusable": {"pl": "{backend} (nie działa)", "en": "{backend} (unusable)"},
    "doctor_last_sync": {"pl": "Ostatnia synchronizacja", "en": "Last sync"},
    "doctor_free_disk": {"pl": "Wolne miejsce", "en": "Free disk"},
    "doctor_problem": {"pl": "PROBLEM", "en": "PROBLEM"},
    "doctor_warning": {"pl": "Uwaga", "en": "Note"},
    "doctor_state_missing": {"pl": "brak pliku", "en": "no file yet"},
    "doctor_state_team_only": {"pl": "brak własnego pliku: rozmowy są w bazie zespołu",
                               "en": "no file of its own: the conversations are in the team's store"},
    "doctor_state_empty": {"pl": "pusta", "en": "empty"},
    "doctor_state_behind": {"pl": "do aktualizacji", "en": "to be upgraded"},
    "doctor_state_at_head": {"pl": "aktualna", "en": "up to date"},
    "doctor_state_newer": {"pl": "z nowszej wersji programu", "en": "from a newer version"},
    "doctor_state_damaged": {"pl": "uszkodzona", "en": "damaged"},
    "doctor_state_unreadable": {"pl": "nieczytelna", "en": "unreadable"},
    "doctor_data_folder_missing": {
        "pl": "folder danych jeszcze nie istnieje (powstanie przy pierwszym uruchomieniu)",
        "en": "the data folder does not exist yet (it is created at the first start)",
    },
    "doctor_data_folder_not_writable": {
        "pl": "w folderze danych nie można zapisywać",
        "en": "the data folder is not writable",
    },
    "doctor_database_newer": {
        "pl": "baza pochodzi z nowszej wersji programu (schemat {stored}, ta wersja zna {head})",
        "en": "the database was written by a newer version (schema {stored}; this version knows {head})",
    },
    "doctor_database_damaged": {
        "pl": "SQLite zgłasza, że plik bazy danych jest uszkodzony; przyczyna jest w raporcie doctor --json",
        "en": "SQLite reports the database file as damaged; the reason is in the report of doctor --json",
    },
    "doctor_database_unreadable": {
        "pl": "SQLite nie może odczytać pliku bazy (uprawnienia, blokada innego programu albo błąd odczytu); "
              "przyczyna jest w raporcie doctor --json",
        "en": "SQLite cannot read the database file (permissions, another program's lock or a read error); "
              "the reason is in the report of doctor --json",
    },
    "doctor_database_behind": {
        "pl": "baza zostanie zaktualizowana przy następnym uruchomieniu",
        "en": "the database will be upgraded at the next start",
    },
    "doctor_no_keyring": {
        "pl": "systemowy menedżer haseł nie działa: po zamknięciu programu trzeba będzie ponownie zalogować się "
              "do Allegro",
        "en": "no usable keyring: signing in to Allegro lasts until the program is closed",
    },
    "doctor_team_store": {"pl": "Baza zespołu", "en": "Team database"},
    "doctor_team_schema": {"pl": "Schemat bazy zespołu", "en": "Team database schema"},
    "doctor_team_leader": {"pl": "Stanowisko pobierające z Allegro", "en": "Bench polling Allegro"},
    "doctor_team_lease_until": {"pl": "dzierżawa do", "en": "lease until"},
    "doctor_team_lease_expired_at": {"pl": "dzierżawa wygasła", "en": "lease expired"},
    "doctor_team_fence": {"pl": "kadencja", "en": "term"},
    "doctor_team_change_log": {"pl": "Numer ostatniej zmiany w bazie zespołu", "en": "Number of the latest change in the team database"},
    "doctor_team_bench": {"pl": "Stanowisko", "en": "Bench"},
    "doctor_team_lag": {"pl": "zmian jeszcze nieodebranych: {changes}", "en": "changes not received yet: {changes}"},
    "doctor_team_lag_unknown": {"pl": "jeszcze nie odbiera zmian", "en": "not receiving changes yet"},
    "doctor_team_heartbeat_ago": {"pl": "ostatni sygnał {seconds} s temu", "en": "last heartbeat {seconds} s ago"},
    "doctor_team_connections": {"pl": "Połączenia programu z bazą zespołu", "en": "The program's connections to the team database"},
    "doctor_team_address_refused": {
        "pl": "adres bazy zespołu jest nieprawidłowy albo połączenie nie byłoby szyfrowane",
        "en": "the team database's address is not valid, or the connection would not be encrypted",
    },
    "doctor_team_unreachable": {
        "pl": "nie można połączyć się z bazą zespołu",
        "en": "the team database cannot be reached",
    },
    "doctor_team_schema_newer": {
        "pl": "baza zespołu pochodzi z nowszej wersji programu (schemat {team_stored}, ta wersja zna {team_head})",
        "en": "the team database was written by a newer version (schema {team_stored}; this version knows {team_head})",
    },
    "doctor_team_schema_behind": {
        "pl": "schemat bazy zespołu zostanie zaktualizowany przy następnym uruchomieniu stanowiska z prawami właściciela",
        "en": "the team database's schema will be upgraded at the next start of a bench with the owner's rights",
    },
    "doctor_team_lease_expired": {
        "pl": "dzierżawa stanowiska pobierającego wygasła: inne stanowisko przejmie pobieranie",
        "en": "the polling bench's lease has expired: another bench will take over",
    },
    "doctor_low_disk": {
        "pl": "na dysku zostało tylko {free_mb} MB",
        "en": "only {free_mb} MB left on the disk",
    },
    # `search`: why the cache cannot be searched, then the kind labels of its lines (as the list's badges).
    "search_no_database": {
        "pl": "Nie ma jeszcze bazy danych {path}: uruchom program, aby pobrać rozmowy, i spróbuj ponownie.",
        "en": "There is no database {path} yet: start the program to download the conversations, then try again.",
    },
    "search_empty_database": {
        "pl": "Baza danych {path} nie zawiera jeszcze tabel programu: uruchom program albo magazyn-desktop migrate "
              "i spróbuj ponownie.",
        "en": "The database {path} does not hold the program's tables yet: start the program or run "
              "magazyn-desktop migrate, then try again.",
    },
    "search_behind_database": {
        "pl": "Baza danych {path} pochodzi ze starszej wersji programu (schemat {stored}): zaktualizuj ją poleceniem "
              "magazyn-desktop migrate albo uruchamiając program, i spróbuj ponownie.",
        "en": "The database {path} is from an older version of the program (schema {stored}): upgrade it with "
              "magazyn-desktop migrate or by starting the program, then try again.",
    },
    "search_damaged_database": {
        "pl": "SQLite zgłasza, że plik bazy danych {path} jest uszkodzony: uruchom program, a przeniesie go do "
              "osobnego folderu i pobierze rozmowy ponownie (szczegóły podaje magazyn-desktop doctor --json).",
        "en": "SQLite reports the database file {path} as damaged: start the program, which moves it aside and "
              "downloads the conversations again (magazyn-desktop doctor --json gives the details).",
    },
    "search_unreadable_database": {
        "pl": "Nie można odczytać pliku bazy danych {path} (uprawnienia, blokada innego programu albo błąd odczytu); "
              "szczegóły podaje magazyn-desktop doctor --json.",
        "en": "The database file {path} cannot be read (permissions, another program's lock or a read error); "
              "magazyn-desktop doctor --json gives the details.",
    },
    "search_newer_database": {
        "pl": "Uwaga: baza pochodzi z nowszej wersji programu (schemat {stored}, ta wersja zna {head}), więc wyniki "
              "mogą być niepełne.",
        "en": "Note: the database was written by a newer version of the program (schema {stored}; this version "
              "knows {head}), so the results may be incomplete.",
    },
    "search_newer_unreadable": {
        "pl": "Ta wersja programu nie potrafi przeszukać bazy z nowszej wersji (schemat {stored}, ta wersja zna "
              "{head}): zainstaluj nowszą wersję programu.",
        "en": "This version cannot search a database written by a newer version (schema {stored}; this version "
              "knows {head}): install the newer magazyn-desktop.",
    },
    "search_too_short": {
        "pl": "Nic nie wyszukano: tekst musi mieć co najmniej {count} znaki (nie licząc spacji).",
        "en": "Nothing was searched: the text needs at least {count} characters (spaces aside).",
    },
    "search_kind_common": {"pl": "Wiadomość", "en": "Message"},
    "search_kind_post_purchase_issue": {"pl": "Problem z zakupem", "en": "Purchase problem"},
    "search_kind_dispute": {"pl": "Dyskusja", "en": "Discussion"},
    "search_kind_claim": {"pl": "Reklamacja", "en": "Claim"},
    "team_bad_address": {
        "pl": "Adres bazy zespołu jest nieprawidłowy: {detail}.\n"
              "Podaj adres w postaci postgresql://UŻYTKOWNIK@SERWER:PORT/BAZA.",
        "en": "The team database's address is not valid: {detail}.\n"
              "Give it as postgresql://USER@SERVER:PORT/DATABASE.",
    },
    "team_plaintext_refused": {
        "pl": "Połączenie z bazą zespołu nie byłoby szyfrowane ({detail}).\nUsuń sslmode z adresu (program użyje "
              "wtedy verify-full) albo, tylko w zaufanej sieci, uruchom z --store-allow-plaintext.",
        "en": "The connection to the team database would not be encrypted ({detail}).\nRemove sslmode from the "
              "address (verify-full is then used) or, on a trusted network only, start with --store-allow-plaintext.",
    },
    "team_unreachable": {
        "pl": "Nie można połączyć się z bazą zespołu {store} ({detail}).\n"
              "Sprawdź sieć, adres i hasło oraz czy serwer działa, i spróbuj ponownie.",
        "en": "The team database {store} cannot be reached ({detail}).\n"
              "Check the network, the address and the password, and whether the server is running, then try again.",
    },
    "team_connecting_title": {
        "pl": "Łączenie z bazą zespołu...",
        "en": "Connecting to the team database...",
    },
    "team_next_attempt": {
        "pl": "Kolejna próba za {seconds} s.",
        "en": "Trying again in {seconds} s.",
    },
    "team_try_now": {
        "pl": "Spróbuj teraz",
        "en": "Try now",
    },
    "team_cancel": {
        "pl": "Anuluj",
        "en": "Cancel",
    },
    "team_newer_schema": {
        "pl": "Baza zespołu {store} ma nowszą wersję schematu ({stored}) niż zna ten program ({head}).\n"
              "Zaktualizuj magazyn-desktop na tym stanowisku. Baza nie została zmieniona.",
        "en": "The team database {store} has a newer schema revision ({stored}) than this program knows ({head}).\n"
              "Update magazyn-desktop on this bench. The database was not changed.",
    },
    "team_no_schema_rights": {
        "pl": "Baza zespołu {store} wymaga aktualizacji schematu (z {stored} do {head}), a rola {user} nie może "
              "zmieniać schematu.\nPoproś administratora o uruchomienie: magazyn-desktop migrate --store {store}",
        "en": "The team database {store} needs a schema upgrade (from {stored} to {head}), which the role {user} may "
              "not make.\nAsk the administrator to run: magazyn-desktop migrate --store {store}",
    },
    "team_pooler": {
        "pl": "Nie udało się zablokować aktualizacji schematu w bazie zespołu {store}: połączenie przechodzi przez "
              "pośrednika (np. PgBouncer w trybie transakcji).\nPołącz stanowisko bezpośrednio z serwerem PostgreSQL.",
        "en": "The schema upgrade of the team database {store} could not be locked: the connection goes through a "
              "pooler (for example PgBouncer in transaction mode).\nConnect the bench to the PostgreSQL server directly.",
    },
    "team_import_needs_store": {
        "pl": "Podaj bazę zespołu, do której mają trafić rozmowy: --store postgresql://UŻYTKOWNIK@SERWER/BAZA",
        "en": "Name the team database the conversations go to: --store postgresql://USER@SERVER/DATABASE",
    },
    "team_upgrade_failed": {
        "pl": "Aktualizacja schematu bazy zespołu {store} nie powiodła się ({detail}).\n"
              "Zmiany wycofano: baza jest taka jak przed aktualizacją.",
        "en": "The schema upgrade of the team database {store} failed ({detail}).\n"
              "It was rolled back: the database is as it was before.",
    },
    "unexpected": {
        "pl": "Wystąpił nieoczekiwany błąd. Szczegóły zapisano w dzienniku: {log}",
        "en": "An unexpected error occurred. The details were written to the log: {log}",
    },
}


def launch_text(key: str, language: str, **values: object) -> str:
    entry = _TEXTS[key]
    template = entry.get(language) or entry["pl"]
    return template.format(**values)
