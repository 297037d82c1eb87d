import { parseDepartmentMap, targetFor } from '../../src/helpdesk/departmentMap';
import { fillTemplate } from '../../src/helpdesk/fillTemplate';
import { ticketReferences } from '../../src/helpdesk/references';

describe('ticketReferences', () => {
    it('finds #numbers in the topic and tags, deduplicated, in order', () => {
        expect(ticketReferences('Follow-up of #2026112210000013 and #42', ['#42', 'vip', '#7'], 'topic_and_tags'))
            .toEqual(['2026112210000013', '42', '7']);
    });

    it('reads only the source the setting names', () => {
        expect(ticketReferences('#1', ['#2'], 'topic')).toEqual(['1']);
        expect(ticketReferences('#1', ['#2'], 'tags')).toEqual(['2']);
    });

    it('ignores HTML entities, words and hashtags that are not numbers', () => {
        expect(ticketReferences('&#123; abc#45 #tag #12a (#99)', [], 'topic')).toEqual(['99']);
    });

    it('copes with missing topic and tags', () => {
        expect(ticketReferences(undefined, undefined, 'topic_and_tags')).toEqual([]);
    });
});

describe('department map', () => {
    const map = parseDepartmentMap('Vendas = Sales Queue\n# a comment\n\n  Suporte=Suporte N1  # trailing comment\nxyz123 = Raw\nbroken line\n= nothing');

    it('reads Department = Target lines and reports the others', () => {
        expect(map.entries).toEqual([
            { department: 'Vendas', target: 'Sales Queue' },
            { department: 'Suporte', target: 'Suporte N1' },
            { department: 'xyz123', target: 'Raw' },
        ]);
        expect(map.problems).toHaveLength(2);
        expect(map.problems[0]).toContain('line 6');
    });

    it('finds the target by id, then by name in any letter case', () => {
        expect(targetFor(map, { id: 'xyz123', name: 'Other' })).toBe('Raw');
        expect(targetFor(map, { id: 'nope', name: 'vendas' })).toBe('Sales Queue');
        expect(targetFor(map, { name: 'Unknown' })).toBeUndefined();
        expect(targetFor(map, undefined)).toBeUndefined();
    });
});

describe('fillTemplate', () => {
    it('fills placeholders', () => {
        expect(fillTemplate('Livechat: {visitor} - {topic}', { visitor: 'Maria', topic: 'Boleto' })).toBe('Livechat: Maria - Boleto');
    });

    it('drops an empty placeholder with its dangling separator', () => {
        expect(fillTemplate('Livechat: {visitor} - {topic}', { visitor: 'Maria', topic: undefined })).toBe('Livechat: Maria');
        expect(fillTemplate('{topic} - {visitor}', { visitor: 'Maria', topic: '' })).toBe('Maria');
        expect(fillTemplate('{visitor} - {department} - {topic}', { visitor: 'Maria', department: '', topic: 'X' })).toBe('Maria - X');
    });

    it('keeps unknown placeholders and folds whitespace in values', () => {
        expect(fillTemplate('{visitor} {unknown}', { visitor: ' Maria \n Silva ' })).toBe('Maria Silva {unknown}');
    });
});
