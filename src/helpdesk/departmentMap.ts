/**
 * The `Department = Target` lines of a mapping setting (OTRS queues, GLPI categories). A
 * department is named by its Livechat name (any letter case) or its id; `#` starts a comment.
 */
export interface DepartmentMap {
    entries: Array<{ department: string; target: string }>;
    /** Lines that could not be read, for the log when the setting is saved. */
    problems: string[];
}

export function parseDepartmentMap(text: string): DepartmentMap {
    const entries: DepartmentMap['entries'] = [];
    const problems: string[] = [];
    text.split(/\r?\n/).forEach((raw, index) => {
        const line = raw.replace(/(^|\s)#.*$/, '').trim();
        if (!line) return;
        const separator = line.indexOf('=');
        const department = separator > 0 ? line.slice(0, separator).trim() : '';
        const target = separator > 0 ? line.slice(separator + 1).trim() : '';
        if (!department || !target) {
            problems.push(`line ${index + 1} ("${raw.trim()}") is not "Department = value"`);
            return;
        }
        entries.push({ department, target });
    });
    return { entries, problems };
}

/** The target for a department: by id first, then by name ignoring letter case. */
export function targetFor(map: DepartmentMap, department: { id?: string; name?: string } | undefined): string | undefined {
    if (!department) return undefined;
    const byId = map.entries.find((e) => department.id !== undefined && e.department === department.id);
    if (byId) return byId.target;
    const name = department.name?.toLowerCase();
    return name ? map.entries.find((e) => e.department.toLowerCase() === name)?.target : undefined;
}
