"""The home page's national figures: only the programs and work areas that have one."""

from .layout import WorkAreaBlock


def with_national_figures(work_areas):
    """(the work areas cut to the programs with a national figure for the year, the
    programs left out): a heading never stands alone over nothing, and the page can
    name the programs that have no national figure that year."""
    shown, left_out = [], []
    for area in work_areas:
        programs = []
        for block in area.programs:
            if any(line.figure for line in block.national):
                programs.append(block)
            else:
                left_out.append(block.program)
        if programs:
            shown.append(WorkAreaBlock(area.work_area, programs))
    return shown, left_out
