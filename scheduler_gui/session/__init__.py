"""Qt-free set-up shared by the desktop app and ``schedctl``.

Both front ends build their API client here (:mod:`.client`, from the settings and a
:class:`.login.Login`), parse and look up time zones here (:mod:`.zones`) and keep each
course's time zone in one store (:mod:`.course_zones`), so the app and the command line
never disagree about how to connect or which zone a course is in.

Layering: ``ui`` and ``cli`` import this package; it imports ``api``, ``store`` and
``core``, never Qt or the front ends. Modules that need httpx (``client``, ``login``) are
imported only by the code that connects, so ``schedctl --help`` stays light.
"""
