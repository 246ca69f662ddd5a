/* Gives the admin's autocomplete pickers (Select2) accessible names: the combobox, its text and its search box take
   the text of the field's label; the mouse-only "remove all" cross among a multiple picker's chosen items is hidden
   from screen readers (keyboard users clear with Backspace). Runs again whenever a picker redraws itself. */
'use strict';
{
    const labelText = (select) => {
        const label = select.id && document.querySelector(`label[for="${select.id}"]`);
        return (label ? label.textContent : select.name).replace(/:\s*$/, '').trim();
    };

    const nameAutocompletes = () => {
        document.querySelectorAll('select.admin-autocomplete').forEach((select) => {
            const container = select.nextElementSibling;
            if (!container || !container.classList.contains('select2')) {
                return;
            }
            const name = labelText(select);
            container.querySelectorAll('[role="combobox"], [role="textbox"], .select2-search__field').forEach((element) => {
                if (element.getAttribute('aria-label') !== name) {
                    element.setAttribute('aria-label', name);
                }
            });
            container.querySelectorAll('.select2-selection__rendered > :not(li)').forEach((item) => {
                // The mouse-only "remove all" cross sits among the chosen items.
                if (item.getAttribute('role') !== 'listitem') {
                    item.setAttribute('role', 'listitem');
                    item.setAttribute('aria-hidden', 'true');
                }
            });
        });
    };

    document.addEventListener('DOMContentLoaded', () => {
        nameAutocompletes();
        new MutationObserver(nameAutocompletes).observe(document.body, {childList: true, subtree: true});
    });
}
