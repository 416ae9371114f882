import { Controller, Get, Render } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../common/auth/decorators';

@ApiExcludeController()
@Public()
@Controller()
export class HomeController {
  /** The start page: who is signed in (the layout reads `currentUser` from the request). */
  @Get()
  @Render('pages/home/index')
  index(): { title: string } {
    return { title: 'Home' };
  }
}
